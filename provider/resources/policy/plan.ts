import { withoutUndefined } from "../../shared/objects";
import {
    HostError,
    permanentProductionBlocker,
    plannedCheckpointKind,
    settingsChange,
    type Checkpoint,
    type CheckpointSettingsChange,
    type CheckpointType,
    type DesiredCheckpointSettings,
    type HostCapabilities,
    type Vm,
    type VmRef,
} from "../../host";
import type { PolicyInputs, PolicyOutputs, PolicySettings } from "./schema";

/**
 * The Hyper-V CheckpointType a declaration asks for, or undefined when it leaves the type alone.
 * `disabled: false` without a type re-enables a Disabled VM with Hyper-V's default, Production.
 */
export function desiredCheckpointType(inputs: PolicyInputs, current: CheckpointType | null): CheckpointType | undefined {
    if (inputs.disabled === true) return "Disabled";
    if (inputs.type === "standard") return "Standard";
    if (inputs.type === "production") return inputs.fallbackToStandard === false ? "ProductionOnly" : "Production";
    if (inputs.disabled === false && current === "Disabled") return "Production";
    return undefined;
}

export function settingsOf(vm: Vm): PolicySettings {
    return {
        checkpointType: vm.checkpointType,
        fileLocation: vm.checkpointFileLocation,
        automaticCheckpoints: vm.automaticCheckpointsEnabled,
        backupIntegrationEnabled: vm.backupService ? vm.backupService.enabled : null,
    };
}

/** The live settings recorded in a resource's outputs (as last read from the host). */
export function liveSettings(outs: PolicyOutputs): PolicySettings {
    return {
        checkpointType: outs.checkpointType,
        fileLocation: outs.checkpointFileLocation,
        automaticCheckpoints: outs.automaticCheckpointsEnabled,
        backupIntegrationEnabled: outs.backupIntegrationEnabled,
    };
}

export interface PolicyPlan {
    change: CheckpointSettingsChange;
    enableBackup: boolean;
}

/** Only what differs from the live settings: a matching declaration writes nothing (the host's own rule, settingsChange). */
export function planChanges(inputs: PolicyInputs, live: PolicySettings): PolicyPlan {
    const current = { checkpointType: live.checkpointType, checkpointFileLocation: live.fileLocation, automaticCheckpointsEnabled: live.automaticCheckpoints };
    const change = settingsChange(current, desiredSettings(inputs), 0);
    const enableBackup = inputs.ensureBackupIntegration === true && live.backupIntegrationEnabled === false;
    return { change, enableBackup };
}

/**
 * The declaration as settings for the host's one call. The host refuses a file location change
 * while checkpoints exist, production-only on a VM that can never make production checkpoints
 * and a backup service the VM does not have, all before changing anything.
 */
export function desiredSettings(inputs: PolicyInputs): DesiredCheckpointSettings {
    const type = desiredCheckpointType(inputs, null);
    return {
        ...(type !== undefined ? { checkpointType: type } : {}),
        ...(inputs.disabled === false && type === undefined ? { reenableCheckpoints: true } : {}),
        ...(inputs.fileLocation !== undefined ? { checkpointFileLocation: inputs.fileLocation } : {}),
        ...(inputs.automaticCheckpoints !== undefined ? { automaticCheckpointsEnabled: inputs.automaticCheckpoints } : {}),
        ...(inputs.ensureBackupIntegration === true ? { enableBackupIntegration: true } : {}),
        refuseImpossibleProductionOnly: true,
    };
}

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

const NO_CHECKPOINT_TYPES = "the host has no production checkpoints (checkpoint types arrived with Windows Server 2016)";

function productionNow(vm: Vm): { detail: string } | null {
    const planned = plannedCheckpointKind(vm, "ProductionOnly");
    return "refused" in planned && planned.refused === "production" ? planned.blocker : null;
}

function checkpointList(checkpoints: Checkpoint[]): string {
    const names = checkpoints
        .slice(0, 5)
        .map((c) => `"${c.name}"`)
        .join(", ");
    const more = checkpoints.length > 5 ? ` and ${checkpoints.length - 5} more` : "";
    return `${checkpoints.length} checkpoint(s): ${names}${more}`;
}

/** Why a declared file location waits, and what happens next. */
export function pendingLocationWarning(current: string, pending: string, checkpoints: Checkpoint[]): string {
    return (
        `fileLocation stays ${current} for now, everything else was applied: Hyper-V moves the checkpoint file location only ` +
        `while a VM has no checkpoints, and this VM has ${checkpointList(checkpoints)}. If this \`pulumi up\` deletes them ` +
        `(the engine deletes after it updates), the next \`pulumi up\` moves it to ${pending}; otherwise delete or merge them first`
    );
}

/** The resource's outputs: the declaration, the live settings and the settings found at takeover. */
export function policyOutputs(inputs: PolicyInputs, vm: Vm, prior: PolicySettings): PolicyOutputs {
    // What a production checkpoint taken now would be, by the same rule a Checkpoint records its
    // kind with: a VM that is Off gets a disk-only, consistent checkpoint, recorded as production.
    const blocker = vm.checkpointType === null ? { detail: NO_CHECKPOINT_TYPES } : productionNow(vm);
    const declared = withoutUndefined(inputs);
    return {
        ...declared,
        vmId: vm.id,
        vmName: vm.name,
        ...(inputs.vmName !== undefined ? { vmNameDeclared: inputs.vmName } : {}),
        checkpointType: vm.checkpointType,
        checkpointFileLocation: vm.checkpointFileLocation,
        automaticCheckpointsEnabled: vm.automaticCheckpointsEnabled,
        backupIntegrationEnabled: vm.backupService ? vm.backupService.enabled : null,
        configurationVersion: vm.version,
        productionCheckpointPossible: blocker === null,
        productionBlockedBy: blocker ? blocker.detail : null,
        priorSettings: prior,
        fileLocationPending: null,
        warning: null,
    };
}
