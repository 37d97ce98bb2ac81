import { holdsMemory, type Checkpoint, type TakenCheckpoint, type Vm, type VmStorage } from "../../host";
import { checkpointDisks } from "../shared/disk-outputs";
import { withoutUndefined } from "../../shared/objects";
import type { CheckpointInputs, CheckpointOutputs } from "./schema";

/** The declaration as the outputs record it, with the VM name as declared kept apart from its live name. */
function declared(inputs: CheckpointInputs): Partial<CheckpointOutputs> {
    const out: Partial<CheckpointOutputs> = withoutUndefined(inputs);
    if (inputs.vmName !== undefined) out.vmNameDeclared = inputs.vmName;
    return out;
}

/** The outputs of a checkpoint this resource just took: what Hyper-V made is recorded now, as it cannot be read later. */
export function takenOutputs(inputs: CheckpointInputs, taken: TakenCheckpoint): CheckpointOutputs {
    const { vm, checkpoint: cp } = taken;
    return {
        ...declared(inputs),
        vmId: vm.id,
        vmName: vm.name,
        checkpointName: cp.name,
        kind: taken.kind,
        fellBack: taken.fellBack,
        holdsMemory: holdsMemory(cp.vmState),
        vmStateAtCreation: taken.vmStateAtCreation,
        snapshotType: cp.snapshotType,
        parentCheckpointId: cp.parentId,
        creationTime: cp.creationTime,
        lastRestoreTime: null,
        adopted: false,
        ...checkpointDisks(cp, taken.storage),
    };
}

/**
 * Hyper-V cannot tell production from standard afterwards. Memory state means standard; without
 * it the checkpoint may be a production one or a standard one of an Off VM: "unknown".
 */
export function adoptedOutputs(inputs: CheckpointInputs, vm: Vm, cp: Checkpoint, storage: VmStorage): CheckpointOutputs {
    const memory = holdsMemory(cp.vmState);
    return {
        ...declared(inputs),
        vmId: vm.id,
        vmName: vm.name,
        checkpointName: cp.name,
        kind: memory ? "standard" : "unknown",
        fellBack: null,
        holdsMemory: memory,
        vmStateAtCreation: cp.vmState,
        snapshotType: cp.snapshotType,
        parentCheckpointId: cp.parentId,
        creationTime: cp.creationTime,
        lastRestoreTime: null,
        adopted: true,
        ...checkpointDisks(cp, storage),
    };
}

/** Outputs refreshed from the host's copy of the checkpoint; what was recorded at creation stays. */
export function refreshedOutputs(olds: CheckpointOutputs, vm: Vm, cp: Checkpoint, storage: VmStorage): CheckpointOutputs {
    return { ...olds, vmName: vm.name, checkpointName: cp.name, parentCheckpointId: cp.parentId, present: undefined, ...checkpointDisks(cp, storage) };
}
