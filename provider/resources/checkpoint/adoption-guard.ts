import { HostError, userSnapshotTypes, type Checkpoint, type Vm } from "../../host";

/** Checkpoints Hyper-V or other features made, which a Checkpoint resource must never take over. */
export function refuseAdoption(checkpoint: Checkpoint, hostName: string, vm: Vm): void {
    const ctx = { host: hostName, vm: vm.name, vmId: vm.id, checkpoint: checkpoint.name, checkpointId: checkpoint.id, operation: "adopt checkpoint" };
    if (checkpoint.isAutomatic) {
        throw new HostError(
            "CheckpointNotAdoptable",
            "it is an automatic checkpoint, which Hyper-V manages itself (it removes it after a clean shutdown)",
            ctx,
            {
                hint: "adopt a checkpoint someone took, or turn automatic checkpoints off and take one",
            },
        );
    }
    if (!userSnapshotTypes.includes(checkpoint.snapshotType)) {
        throw new HostError(
            "CheckpointNotAdoptable",
            `it is a ${checkpoint.snapshotType} checkpoint, which belongs to Hyper-V Replica or backup software`,
            ctx,
            {
                hint: "adopt only checkpoints taken with Checkpoint-VM or Hyper-V Manager",
            },
        );
    }
}
