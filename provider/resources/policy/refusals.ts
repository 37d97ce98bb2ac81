import { HostError, isSharedStorage, permanentProductionBlocker, type Checkpoint, type HostCapabilities, type Vm, type VmRef } from "../../host";
import { planChanges, settingsOf } from "./plan";
import type { PolicyInputs } from "./schema";

/** Refuses, before the host is asked to change anything, fields an older host does not have. */
export function refuseUnsupported(inputs: PolicyInputs, vm: VmRef, caps: HostCapabilities, hostName: string): void {
    const ctx = { host: hostName, ...("id" in vm ? { vmId: vm.id } : { vm: vm.name }), operation: "apply checkpoint settings" };
    const hostIs = `the host runs ${caps.osCaption} (build ${caps.osBuild})`;
    if (!caps.supportsCheckpointType) {
        const field =
            inputs.type !== undefined
                ? "type"
                : inputs.disabled !== undefined
                  ? "disabled"
                  : inputs.fallbackToStandard !== undefined
                    ? "fallbackToStandard"
                    : undefined;
        if (field) {
            throw new HostError(
                "UnsupportedByHost",
                `${hostIs}, which has no checkpoint types (Set-VM -CheckpointType arrived with Windows Server 2016), so "${field}" cannot be applied`,
                ctx,
            );
        }
    }
    if (!caps.supportsAutomaticCheckpoints && inputs.automaticCheckpoints !== undefined) {
        throw new HostError(
            "UnsupportedByHost",
            `${hostIs}, which has no automatic checkpoints (Set-VM -AutomaticCheckpointsEnabled arrived with Windows Server 2019 / Windows 10 1709), so "automaticCheckpoints" cannot be applied`,
            ctx,
        );
    }
}

/**
 * Whether a declaration must be checked against the cluster's storage rule: a fileLocation off
 * shared storage, declared on a cluster without allowLocalFileLocation. Only then is the VM read
 * first (on a single host, never).
 */
export function needsSharedStorage(inputs: PolicyInputs, caps: HostCapabilities): boolean {
    return caps.cluster !== undefined && inputs.fileLocation !== undefined && !isSharedStorage(inputs.fileLocation) && inputs.allowLocalFileLocation !== true;
}

/**
 * A clustered VM's checkpoint files must be on storage every node sees, or a failover loses them.
 * A host that does not say whether a VM is clustered is taken to mean it is (a cluster's VMs
 * usually are): the refusal names the option that accepts it.
 */
export function refuseLocalStorageOnCluster(inputs: PolicyInputs, vm: Vm, caps: HostCapabilities, hostName: string): void {
    if (!needsSharedStorage(inputs, caps) || vm.clustered === false) return;
    throw new HostError(
        "LocalStorageOnCluster",
        `fileLocation ${inputs.fileLocation} is on one node's own disks, but VM "${vm.name}" is clustered on ${caps.cluster}: its checkpoints would be lost when it fails over to another node`,
        { host: hostName, vm: vm.name, vmId: vm.id, operation: "apply checkpoint settings" },
    );
}

/**
 * What the host refuses in its one call, in the declaration's terms: a file location change while
 * checkpoints exist (naming them), production-only on a VM that can never make production
 * checkpoints, a backup service the VM does not have. Explains a refusal from a listing of the VM.
 */
export function explainRefusedPolicy(inputs: PolicyInputs, vm: Vm, checkpoints: Checkpoint[], hostName: string, deferredBefore = false): void {
    const plan = planChanges(inputs, settingsOf(vm));
    const ctx = { host: hostName, vm: vm.name, vmId: vm.id, operation: "apply checkpoint settings" };
    if (plan.change.checkpointFileLocation !== undefined && checkpoints.length > 0) {
        const since = deferredBefore ? "; it was deferred on the last `up` in case that `up` deleted them, and they are still there" : "";
        throw new HostError(
            "FileLocationLocked",
            `fileLocation cannot change from ${vm.checkpointFileLocation} to ${plan.change.checkpointFileLocation} while the VM has ${checkpointList(checkpoints)}${since}`,
            ctx,
            { hint: "delete or merge those checkpoints first (remove their Checkpoint resources, or Remove-VMSnapshot), or keep the current fileLocation" },
        );
    }
    if (plan.change.checkpointType === "ProductionOnly") {
        const blocker = permanentProductionBlocker(vm);
        if (blocker) {
            throw new HostError("ProductionUnavailable", `production-only checkpoints can never succeed on this VM: ${blocker.detail}`, ctx, {
                hint: "set fallbackToStandard: true, or upgrade the VM's configuration version first",
            });
        }
    }
    if (inputs.ensureBackupIntegration && vm.backupService === null) {
        throw new HostError("BackupServiceMissing", "the VM has no backup (volume shadow copy) integration service to enable", ctx, {
            hint: "remove ensureBackupIntegration, or add the integration service to the VM",
        });
    }
}

/** A VM's checkpoints, as refusals and warnings name them: the count and the first five names. */
export function checkpointList(checkpoints: Checkpoint[]): string {
    const names = checkpoints
        .slice(0, 5)
        .map((c) => `"${c.name}"`)
        .join(", ");
    const more = checkpoints.length > 5 ? ` and ${checkpoints.length - 5} more` : "";
    return `${checkpoints.length} checkpoint(s): ${names}${more}`;
}
