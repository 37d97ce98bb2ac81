import { HostError, isHostError, type Checkpoint, type HyperVHost, type Vm } from "../../host";
import { withVmLock } from "../shared/locks";
import { currentListing, mutateVm, readVm } from "../shared/vm-reads";
import { vmRefOf } from "../shared/vm-target";
import { warn } from "../shared/warnings";
import { diffCheckpoint } from "./diff";
import { adoptedOutputs, hyperVTypeOf, refreshedOutputs, refuseAdoption, refuseTake, takenOutputs } from "./plan";
import type { CheckpointInputs, CheckpointOutputs } from "./schema";

/** Takes a new checkpoint, or takes over an existing one by id (adoptId). */
export async function createCheckpoint(host: HyperVHost, inputs: CheckpointInputs): Promise<{ id: string; outs: CheckpointOutputs }> {
    const read = await readVm(host, vmRefOf(inputs));
    return withVmLock(read.listing.vm.id, async () => {
        const { vm, checkpoints } = await currentListing(host, read);
        if (inputs.adoptId !== undefined) {
            const cp = checkpoints.find((c) => c.id === inputs.adoptId);
            if (!cp) {
                throw new HostError("CheckpointNotFound", `the VM has no checkpoint ${inputs.adoptId} to adopt`, {
                    host: host.displayName, vm: vm.name, vmId: vm.id, checkpointId: inputs.adoptId, operation: "adopt checkpoint",
                }, { hint: "list the VM's checkpoints with `Get-VMSnapshot -VMName <vm> | Select Name, Id` (or `hyperv-lab show`)" });
            }
            refuseAdoption(cp, host.displayName, vm);
            const renamed = inputs.name !== undefined && inputs.name !== cp.name ? await mutateVm(host, vm.id, () => host.renameCheckpoint(vm.id, cp.id, inputs.name!)) : cp;
            return { id: cp.id, outs: adoptedOutputs(inputs, vm, renamed) };
        }
        refuseTake(inputs, vm, checkpoints, await host.capabilities(), host.displayName);
        warnOfNamesake(vm, checkpoints.filter((c) => c.name === inputs.name));
        const taken = await mutateVm(host, vm.id, () => host.takeCheckpoint(vm.id, {
            name: inputs.name!,
            ...(inputs.type !== undefined ? { temporaryType: hyperVTypeOf[inputs.type] } : {}),
        }));
        return { id: taken.checkpoint.id, outs: takenOutputs(inputs, vm, taken) };
    });
}

/**
 * A checkpoint of the same name may be one an interrupted `pulumi up` took after the engine lost
 * the provider (the engine then records no resource, and a refresh cannot see it), or the one a
 * replacement is about to delete. Names may repeat on Hyper-V, so this is a warning, not a refusal.
 */
function warnOfNamesake(vm: Vm, namesakes: Checkpoint[]): void {
    for (const cp of namesakes) {
        warn(
            `VM "${vm.name}" (${vm.id}) already has a checkpoint named "${cp.name}" (${cp.id}, taken ${cp.creationTime}); taking another. ` +
            `If an interrupted update left it behind, adopt it instead (adoptId: "${cp.id}") or remove it; if this resource is being replaced, it is the old one and goes next`,
        );
    }
}

/** Renames and/or applies the checkpoint; applying rolls the VM back to it. */
export async function updateCheckpoint(host: HyperVHost, id: string, olds: CheckpointOutputs, news: CheckpointInputs): Promise<CheckpointOutputs> {
    const d = diffCheckpoint(id, olds, news);
    return withVmLock(olds.vmId, async () => {
        let outs: CheckpointOutputs = { ...olds, ...recordOf(news) };
        if (d.rename) {
            const cp = await mutateVm(host, olds.vmId, () => host.renameCheckpoint(olds.vmId, id, news.name!));
            outs = { ...outs, checkpointName: cp.name };
        }
        if (d.restore) {
            await mutateVm(host, olds.vmId, () => host.applyCheckpoint(olds.vmId, id, { start: news.startAfterRestore === true }));
            outs = { ...outs, lastRestoreTime: new Date().toISOString() };
        }
        return outs;
    });
}

/** The declared fields, replacing the old declaration (unset fields are dropped). */
function recordOf(news: CheckpointInputs): Partial<CheckpointOutputs> {
    const { name, type, restoreTrigger, startAfterRestore, adoptId, host, vmName, vmId } = news;
    return {
        name, type, restoreTrigger, startAfterRestore, adoptId, host,
        vmNameDeclared: vmName,
        ...(vmId !== undefined ? { vmId } : {}),
    };
}

/** The checkpoint as the host has it now; undefined when it (or its VM) is gone. */
export async function readCheckpoint(host: HyperVHost, id: string, olds: CheckpointOutputs): Promise<CheckpointOutputs | undefined> {
    try {
        const { vm, checkpoints } = (await readVm(host, { id: olds.vmId })).listing;
        const cp = checkpoints.find((c) => c.id === id);
        return cp ? refreshedOutputs(olds, vm, cp) : undefined;
    } catch (e) {
        if (isHostError(e, "VmNotFound") || isHostError(e, "CheckpointNotFound")) return undefined;
        throw e;
    }
}

/** Removes the checkpoint by id (Hyper-V merges its disks, children are re-parented); gone is success. */
export async function deleteCheckpoint(host: HyperVHost, id: string, olds: CheckpointOutputs): Promise<void> {
    try {
        await withVmLock(olds.vmId, () => mutateVm(host, olds.vmId, () => host.removeCheckpoint(olds.vmId, id)));
    } catch (e) {
        if (isHostError(e, "VmNotFound") || isHostError(e, "CheckpointNotFound")) return;
        throw e;
    }
}
