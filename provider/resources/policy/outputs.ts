import { withoutUndefined } from "../../shared/objects";
import { plannedCheckpointKind, type Vm, type VmStorage } from "../../host";
import { vmDisks } from "../shared/disk-outputs";
import type { PolicyInputs, PolicyOutputs, PolicySettings } from "./schema";

const NO_CHECKPOINT_TYPES = "the host has no production checkpoints (checkpoint types arrived with Windows Server 2016)";

function productionNow(vm: Vm): { detail: string } | null {
    const planned = plannedCheckpointKind(vm, "ProductionOnly");
    return "refused" in planned && planned.refused === "production" ? planned.blocker : null;
}

/** The resource's outputs: the declaration, the live settings and the settings found at takeover. */
export function policyOutputs(inputs: PolicyInputs, vm: Vm, prior: PolicySettings, storage: VmStorage): PolicyOutputs {
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
        ...vmDisks(vm, storage),
    };
}
