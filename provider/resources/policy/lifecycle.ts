import { isHostError, type HyperVHost, type Vm } from "../../host";
import { withVmLock } from "../shared/locks";
import { currentListing, mutateVm, readVm } from "../shared/vm-reads";
import { vmRefOf } from "../shared/vm-target";
import { isEmptyPlan, planChanges, policyOutputs, refuseImpossible, samePath, settingsOf } from "./plan";
import type { PolicyInputs, PolicyOutputs, PolicySettings } from "./schema";

/**
 * Resolves the VM, refuses the impossible, then writes only what differs. An update passes the
 * managed VM's id: the diff has established it is the same VM, which may have been renamed since.
 */
export async function applyPolicy(host: HyperVHost, inputs: PolicyInputs, managed?: { priorSettings: PolicySettings; vmId: string }): Promise<PolicyOutputs> {
    const prior = managed?.priorSettings;
    const read = await readVm(host, managed ? { id: managed.vmId } : vmRefOf(inputs));
    return withVmLock(read.listing.vm.id, async () => {
        const { vm, checkpoints } = await currentListing(host, read);
        const caps = await host.capabilities();
        const before = settingsOf(vm);
        const plan = planChanges(inputs, before);
        refuseImpossible(inputs, plan, vm, checkpoints, caps, host.displayName);
        let after: Vm = vm;
        if (plan.enableBackup) after = await mutateVm(host, vm.id, () => host.enableBackupIntegration(vm.id));
        if (Object.keys(plan.change).length > 0) after = await mutateVm(host, vm.id, () => host.setCheckpointSettings(vm.id, plan.change));
        return policyOutputs(inputs, isEmptyPlan(plan) ? vm : after, prior ?? before);
    });
}

/** The live settings; undefined when the VM is gone (the engine then drops the resource). */
export async function readPolicy(host: HyperVHost, olds: PolicyOutputs): Promise<PolicyOutputs | undefined> {
    try {
        const { vm } = (await readVm(host, { id: olds.vmId })).listing;
        const declared = declaredInputs(olds);
        return { ...policyOutputs(declared, vm, olds.priorSettings) };
    } catch (e) {
        if (isHostError(e, "VmNotFound")) return undefined;
        throw e;
    }
}

/** The declaration stored in the outputs, as inputs again. */
export function declaredInputs(olds: PolicyOutputs): PolicyInputs {
    const { type, fallbackToStandard, disabled, fileLocation, automaticCheckpoints, ensureBackupIntegration, host } = olds;
    const target = olds.vmNameDeclared !== undefined ? { vmName: olds.vmNameDeclared } : { vmId: olds.vmId };
    const all = { ...target, host, type, fallbackToStandard, disabled, fileLocation, automaticCheckpoints, ensureBackupIntegration };
    return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as PolicyInputs;
}

/**
 * Puts back what the VM had before the resource took over, for the fields it managed. The file
 * location only while the VM has no checkpoints (Hyper-V's rule); the backup integration service
 * stays enabled, since turning it off could break the host's backups. Returns what it could not
 * restore. A VM that is already gone is success.
 */
export async function restorePolicy(host: HyperVHost, olds: PolicyOutputs): Promise<string[]> {
    const prior = olds.priorSettings;
    const notRestored: string[] = [];
    try {
        await withVmLock(olds.vmId, async () => {
            const { vm, checkpoints } = (await readVm(host, { id: olds.vmId })).listing;
            const change: Parameters<HyperVHost["setCheckpointSettings"]>[1] = {};
            const managedType = olds.type !== undefined || olds.disabled !== undefined;
            if (managedType && prior.checkpointType !== null && prior.checkpointType !== vm.checkpointType) {
                change.checkpointType = prior.checkpointType;
            }
            if (olds.automaticCheckpoints !== undefined && prior.automaticCheckpoints !== null && prior.automaticCheckpoints !== vm.automaticCheckpointsEnabled) {
                change.automaticCheckpointsEnabled = prior.automaticCheckpoints;
            }
            if (olds.fileLocation !== undefined && !samePath(prior.fileLocation, vm.checkpointFileLocation)) {
                if (checkpoints.length === 0) change.checkpointFileLocation = prior.fileLocation;
                else notRestored.push(`fileLocation stays ${vm.checkpointFileLocation} (was ${prior.fileLocation}): the VM has ${checkpoints.length} checkpoint(s)`);
            }
            if (Object.keys(change).length > 0) await mutateVm(host, vm.id, () => host.setCheckpointSettings(vm.id, change));
        });
    } catch (e) {
        if (isHostError(e, "VmNotFound")) return notRestored;
        throw e;
    }
    return notRestored;
}
