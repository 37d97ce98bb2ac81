import { holdsMemory, plannedCheckpointKind } from "../host/rules";
import type { Checkpoint, CheckpointKind, CheckpointType, Vm } from "../host/model";

/**
 * What kind of checkpoint Hyper-V made. Get-VMSnapshot cannot tell production from standard, so
 * it is worked out at creation with the shared rules, on the VM as the same script read it just
 * before Checkpoint-VM, under the type in force for the call. The captured state then corrects the
 * plan: a checkpoint that holds memory (captured Running or Paused) is standard whatever was
 * planned, e.g. when the guest's VSS failed after the script's checks and Hyper-V fell back.
 */
export function kindOfTakenCheckpoint(vmBefore: Vm, typeUsed: CheckpointType | null, checkpoint: Checkpoint): { kind: CheckpointKind; fellBack: boolean } {
    const askedProduction = typeUsed === "Production" || typeUsed === "ProductionOnly";
    if (holdsMemory(checkpoint.vmState)) return { kind: "standard", fellBack: askedProduction };
    const planned = plannedCheckpointKind(vmBefore, typeUsed);
    // The script refuses what the rules refuse; if Hyper-V made one anyway it holds no memory.
    if ("refused" in planned) return { kind: askedProduction ? "production" : "standard", fellBack: false };
    return planned;
}
