import { settingsChange, type CheckpointSettingsChange, type CheckpointType, type DesiredCheckpointSettings, type Vm } from "../../host";
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
