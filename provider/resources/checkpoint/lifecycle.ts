import { HostError, isHostError, type HyperVHost, type TakeCheckpointRequest, type TakenCheckpoint, type VmRef } from "../../host";
import { takeGuardOf } from "../shared/take-limits";
import { explainRefusal } from "../shared/refusals";
import { vmRefOf } from "../shared/vm-target";
import type { PreviewMemory } from "../shared/preview";
import { fellBackWithMemory } from "../shared/fallback-warning";
import type { WarnOnResource } from "../shared/resource-warnings";
import { type MergeWatch, waitForMerge } from "../shared/merge-wait";
import { diffCheckpoint } from "./diff";
import { refuseAdoption } from "./adoption-guard";
import { goneOnRefresh, lostRollback } from "./removed-by-hand";
import { withFittingAdvice } from "./disabled-advice";
import { hyperVTypeOf } from "../shared/checkpoint-declaration";
import { adoptedOutputs, refreshedOutputs, takenOutputs } from "./outputs";
import { explainRefusedTake } from "../shared/refused-take";
import type { CheckpointInputs, CheckpointOutputs } from "./schema";

/**
 * Takes a new checkpoint in one host call (the host refuses, before changing anything, what
 * Hyper-V would refuse), or takes over an existing one by id (adoptId).
 */
export async function createCheckpoint(
    host: HyperVHost,
    inputs: CheckpointInputs,
    warnOnResource: WarnOnResource,
    merges: MergeWatch,
    dependsOn: readonly string[] = [],
): Promise<{ id: string; outs: CheckpointOutputs }> {
    if (inputs.adoptId !== undefined) return adoptCheckpoint(host, inputs, inputs.adoptId);
    const ref = vmRefOf(inputs);
    // Always a guard, if empty: the host then refuses a take that cannot fit at all in the words preview predicts it with.
    const guard = takeGuardOf(inputs, inputs.policyLimits);
    const request = { name: inputs.name!, ...(inputs.type !== undefined ? { temporaryType: hyperVTypeOf[inputs.type] } : {}), guard };
    const taken = await takeAfterMerges(host, ref, request, inputs, merges).catch(async (refusal: unknown) => {
        const explained = await explainRefusal(host, ref, refusal, ({ vm, checkpoints }, caps) =>
            explainRefusedTake(inputs, vm, checkpoints.length, caps, host.displayName),
        );
        throw withFittingAdvice(explained, dependsOn);
    });
    await warnOfNamesakes(taken, inputs.resourceUrn, warnOnResource);
    const fellBack = fellBackWithMemory(taken);
    if (fellBack) await warnOnResource(inputs.resourceUrn, fellBack);
    return { id: taken.checkpoint.id, outs: takenOutputs(inputs, taken) };
}

/**
 * Takes the checkpoint; a VM still merging a removed checkpoint's disks (the take guard's first
 * check, on the host) is waited for, showing the merge's progress, and the take tried again, all
 * within hyperv:mergeTimeoutSeconds.
 */
async function takeAfterMerges(
    host: HyperVHost,
    ref: VmRef,
    request: TakeCheckpointRequest,
    inputs: CheckpointInputs,
    merges: MergeWatch,
): Promise<TakenCheckpoint> {
    const startedAt = Date.now();
    for (;;) {
        try {
            return await host.takeCheckpoint(ref, request);
        } catch (refusal) {
            if (!isHostError(refusal, "MergeInProgress")) throw refusal;
            const vm = refusal.context.vmId !== undefined ? { id: refusal.context.vmId } : ref;
            await waitForMerge(
                host,
                {
                    vm,
                    vmName: refusal.context.vm ?? ("name" in ref ? ref.name : ref.id),
                    checkpoint: request.name,
                    urn: inputs.resourceUrn,
                    operation: "take checkpoint",
                    whileWaiting: "nothing was taken",
                },
                merges,
                startedAt,
            );
        }
    }
}

/** One read, and a rename when the declaration names the checkpoint differently. */
async function adoptCheckpoint(host: HyperVHost, inputs: CheckpointInputs, adoptId: string): Promise<{ id: string; outs: CheckpointOutputs }> {
    const { vm, checkpoints, storage } = await host.getVmWithCheckpoints(vmRefOf(inputs));
    const cp = checkpoints.find((c) => c.id === adoptId);
    if (!cp) {
        throw new HostError(
            "CheckpointNotFound",
            `the VM has no checkpoint ${adoptId} to adopt`,
            {
                host: host.displayName,
                vm: vm.name,
                vmId: vm.id,
                checkpointId: adoptId,
                operation: "adopt checkpoint",
            },
            { hint: "list the VM's checkpoints with `Get-VMSnapshot -VMName <vm> | Select Name, Id` (or `hyperv-lab show`)" },
        );
    }
    refuseAdoption(cp, host.displayName, vm);
    const rename = inputs.name !== undefined && inputs.name !== cp.name;
    const adopted = rename ? await host.renameCheckpoint(vm.id, cp.id, inputs.name!) : cp;
    return { id: cp.id, outs: adoptedOutputs(inputs, vm, adopted, storage) };
}

/**
 * A checkpoint of the same name may be one an interrupted `pulumi up` took after the engine lost
 * the provider (the engine then records no resource, and a refresh cannot see it), or the one a
 * replacement is about to delete. Names may repeat on Hyper-V, so this is a warning, not a refusal.
 */
async function warnOfNamesakes({ vm, checkpoint, namesakes }: TakenCheckpoint, resourceUrn: string | undefined, warnOnResource: WarnOnResource): Promise<void> {
    for (const cp of namesakes) {
        await warnOnResource(
            resourceUrn,
            `VM "${vm.name}" (${vm.id}) already had a checkpoint named "${cp.name}" (${cp.id}, taken ${cp.creationTime}); took another (${checkpoint.id}). ` +
                `If an interrupted update left it behind, adopt it instead (adoptId: "${cp.id}") or remove it; if this resource is being replaced, it is the old one and goes next`,
        );
    }
}

/** Renames and/or applies the checkpoint; applying rolls the VM back to it. */
export async function updateCheckpoint(host: HyperVHost, id: string, olds: CheckpointOutputs, news: CheckpointInputs): Promise<CheckpointOutputs> {
    const d = diffCheckpoint(id, olds, news);
    let outs: CheckpointOutputs = { ...olds, ...recordOf(news) };
    if (d.rename) {
        const cp = await host.renameCheckpoint(olds.vmId, id, news.name!);
        outs = { ...outs, checkpointName: cp.name };
    }
    if (d.restore) {
        await host.applyCheckpoint(olds.vmId, id, { start: news.startAfterRestore === true }).catch((e: unknown) => {
            throw isHostError(e, "CheckpointNotFound") || isHostError(e, "VmNotFound") ? lostRollback(host.displayName, id, olds, news) : e;
        });
        outs = { ...outs, lastRestoreTime: new Date().toISOString() };
    }
    return outs;
}

/** The declared fields, replacing the old declaration (unset fields are dropped). */
function recordOf(news: CheckpointInputs): Partial<CheckpointOutputs> {
    const { name, type, restoreTrigger, startAfterRestore, adoptId, host, vmName, vmId, minFreeSpace, maxChainDepth, policyLimits } = news;
    return {
        minFreeSpace,
        maxChainDepth,
        policyLimits,
        name,
        type,
        restoreTrigger,
        startAfterRestore,
        adoptId,
        host,
        vmNameDeclared: vmName,
        ...(vmId !== undefined ? { vmId } : {}),
    };
}

/**
 * The checkpoint as the host has it now; marked gone (see removed-by-hand.ts) when it was removed
 * outside Pulumi; undefined when its VM is gone, since nothing can be taken or rolled back there.
 */
export async function readCheckpoint(
    host: HyperVHost,
    id: string,
    olds: CheckpointOutputs,
    warnOnResource: WarnOnResource,
): Promise<CheckpointOutputs | undefined> {
    try {
        const { vm, checkpoints, storage } = await host.getVmWithCheckpoints({ id: olds.vmId });
        const cp = checkpoints.find((c) => c.id === id);
        if (cp) return refreshedOutputs(olds, vm, cp, storage);
        if (olds.present !== false) await warnOnResource(olds.resourceUrn, goneOnRefresh(id, olds, vm, checkpoints));
        return { ...olds, vmName: vm.name, present: false };
    } catch (e) {
        if (isHostError(e, "VmNotFound") || isHostError(e, "CheckpointNotFound")) return undefined;
        throw e;
    }
}

/**
 * Before `up` (or its preview) changes anything: a rollback asked of a checkpoint that is gone is
 * refused, whether refresh marked it gone or (preview only: `up` itself reads nothing extra, and
 * its apply fails the same way) the VM no longer has it.
 */
export async function refuseLostRollback(
    host: HyperVHost,
    preview: PreviewMemory | undefined,
    id: string,
    olds: CheckpointOutputs,
    news: CheckpointInputs,
): Promise<void> {
    if (!diffCheckpoint(id, olds, news).restoreRequested) return;
    if (olds.present === false) throw lostRollback(host.displayName, id, olds, news, preview !== undefined);
    if (preview === undefined) return;
    const listing = await preview.read(host, { id: olds.vmId }).catch((e: unknown) => {
        if (isHostError(e, "VmNotFound")) return undefined;
        throw e;
    });
    if (!listing?.checkpoints.some((c) => c.id === id)) throw lostRollback(host.displayName, id, olds, news, true);
}

/**
 * Removes the checkpoint by id (Hyper-V merges its disks, children are re-parented) and waits
 * until the merge is done, showing its progress; gone is success, and a merge still running from
 * an earlier attempt (one that timed out) is waited for again.
 */
export async function deleteCheckpoint(host: HyperVHost, id: string, olds: CheckpointOutputs, merges: MergeWatch): Promise<void> {
    const startedAt = Date.now();
    let merging: boolean;
    try {
        const removal = await host.removeCheckpoint(olds.vmId, id);
        // A merge that already failed is waited for too: the wait's first read reports the failure.
        merging = removal.merge !== undefined || removal.mergeFailure !== undefined;
    } catch (e) {
        if (isHostError(e, "VmNotFound")) return;
        if (!isHostError(e, "CheckpointNotFound")) throw namedAfter(e, olds);
        // Gone already: a merge may still run from the attempt that removed it (one that timed out waiting).
        merging = true;
    }
    if (!merging) return;
    const target = {
        vm: { id: olds.vmId },
        vmName: olds.vmName,
        checkpoint: olds.checkpointName,
        checkpointId: id,
        urn: olds.resourceUrn,
        operation: "remove checkpoint",
        whileWaiting: "the checkpoint is removed, its disks are not whole yet",
    };
    await waitForMerge(host, target, merges, startedAt);
}

/** A removal's failure naming the VM and the checkpoint as the program knows them, where the host named them by id only (PowerShell). */
function namedAfter(e: unknown, olds: CheckpointOutputs): unknown {
    if (!isHostError(e) || (e.context.vm !== undefined && e.context.checkpoint !== undefined)) return e;
    const context = { ...e.context, vm: e.context.vm ?? olds.vmName, checkpoint: e.context.checkpoint ?? olds.checkpointName };
    return new HostError(e.code, e.detail, context, { hint: e.hint, cause: e, predicted: e.predicted });
}

/** The declaration as the host now has it (the checkpoint's current name), for the engine's next diff. */
export function liveCheckpointDeclaration(outs: CheckpointOutputs): Record<string, unknown> {
    const { host, type, restoreTrigger, startAfterRestore, adoptId, resourceUrn, minFreeSpace, maxChainDepth, policyLimits } = outs;
    const target = outs.vmNameDeclared !== undefined ? { vmName: outs.vmNameDeclared } : { vmId: outs.vmId };
    // An adopted checkpoint declared without a name keeps none.
    const name = outs.name !== undefined ? outs.checkpointName : undefined;
    return { ...target, host, name, type, restoreTrigger, startAfterRestore, adoptId, resourceUrn, minFreeSpace, maxChainDepth, policyLimits };
}
