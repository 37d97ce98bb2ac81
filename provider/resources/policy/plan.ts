import {
    HostError,
    permanentProductionBlocker,
    productionBlocker,
    type Checkpoint,
    type CheckpointSettingsChange,
    type CheckpointType,
    type HostCapabilities,
    type Vm,
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

/** Windows paths compare without case and without a trailing backslash. */
export function samePath(a: string, b: string): boolean {
    const norm = (p: string) => p.replace(/\\+$/, "").toLowerCase();
    return norm(a) === norm(b);
}

export interface PolicyPlan {
    change: CheckpointSettingsChange;
    enableBackup: boolean;
}

/** Only what differs from the live settings: a matching declaration writes nothing. */
export function planChanges(inputs: PolicyInputs, live: PolicySettings): PolicyPlan {
    const change: CheckpointSettingsChange = {};
    const type = desiredCheckpointType(inputs, live.checkpointType);
    if (type !== undefined && type !== live.checkpointType) change.checkpointType = type;
    if (inputs.fileLocation !== undefined && !samePath(inputs.fileLocation, live.fileLocation)) {
        change.checkpointFileLocation = inputs.fileLocation;
    }
    if (inputs.automaticCheckpoints !== undefined && inputs.automaticCheckpoints !== live.automaticCheckpoints) {
        change.automaticCheckpointsEnabled = inputs.automaticCheckpoints;
    }
    const enableBackup = inputs.ensureBackupIntegration === true && live.backupIntegrationEnabled === false;
    return { change, enableBackup };
}

export function isEmptyPlan(plan: PolicyPlan): boolean {
    return !plan.enableBackup && Object.keys(plan.change).length === 0;
}

/**
 * Refuses, before anything changes, what Hyper-V would refuse half-way or what cannot work: fields
 * an older host lacks, a file location change while checkpoints exist, production-only on a VM
 * that can never make production checkpoints, a backup service the VM does not have.
 */
export function refuseImpossible(
    inputs: PolicyInputs,
    plan: PolicyPlan,
    vm: Vm,
    checkpoints: Checkpoint[],
    caps: HostCapabilities,
    hostName: string,
): void {
    const ctx = { host: hostName, vm: vm.name, vmId: vm.id, operation: "apply checkpoint policy" };
    const hostIs = `the host runs ${caps.osCaption} (build ${caps.osBuild})`;
    if (!caps.supportsCheckpointType) {
        const field = inputs.type !== undefined ? "type" : inputs.disabled !== undefined ? "disabled" : inputs.fallbackToStandard !== undefined ? "fallbackToStandard" : undefined;
        if (field) {
            throw new HostError("UnsupportedByHost", `${hostIs}, which has no checkpoint types (Set-VM -CheckpointType arrived with Windows Server 2016), so "${field}" cannot be applied`, ctx);
        }
    }
    if (!caps.supportsAutomaticCheckpoints && inputs.automaticCheckpoints !== undefined) {
        throw new HostError("UnsupportedByHost", `${hostIs}, which has no automatic checkpoints (Set-VM -AutomaticCheckpointsEnabled arrived with Windows Server 2019 / Windows 10 1709), so "automaticCheckpoints" cannot be applied`, ctx);
    }
    if (plan.change.checkpointFileLocation !== undefined && checkpoints.length > 0) {
        const names = checkpoints.slice(0, 5).map((c) => `"${c.name}"`).join(", ");
        const more = checkpoints.length > 5 ? ` and ${checkpoints.length - 5} more` : "";
        throw new HostError(
            "FileLocationLocked",
            `fileLocation cannot change from ${vm.checkpointFileLocation} to ${plan.change.checkpointFileLocation} while the VM has ${checkpoints.length} checkpoint(s): ${names}${more}`,
            ctx,
        );
    }
    if (plan.change.checkpointType === "ProductionOnly") {
        const blocker = permanentProductionBlocker(vm);
        if (blocker) {
            throw new HostError(
                "ProductionUnavailable",
                `production-only checkpoints can never succeed on this VM: ${blocker.detail}`,
                ctx,
                { hint: "set fallbackToStandard: true, or upgrade the VM's configuration version first" },
            );
        }
    }
    if (inputs.ensureBackupIntegration && vm.backupService === null) {
        throw new HostError("BackupServiceMissing", "the VM has no backup (volume shadow copy) integration service to enable", ctx, {
            hint: "remove ensureBackupIntegration, or add the integration service to the VM",
        });
    }
}

/** The resource's outputs: the declaration, the live settings and the settings found at takeover. */
export function policyOutputs(inputs: PolicyInputs, vm: Vm, prior: PolicySettings): PolicyOutputs {
    const blocker = productionBlocker(vm);
    const declared = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)) as PolicyInputs;
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
    };
}
