import { holdsMemory, type TakenCheckpoint } from "../../host";
import { checkpointDisks, vmDisks } from "../shared/disk-outputs";
import type { GroupInputs, GroupMember, GroupMemberOutput, GroupOutputs } from "./schema";

export function memberOutput(member: GroupMember, taken: TakenCheckpoint): GroupMemberOutput {
    const { vm, checkpoint: cp } = taken;
    return {
        vmId: vm.id,
        vmName: vm.name,
        ...(member.host !== undefined ? { host: member.host } : {}),
        checkpointId: cp.id,
        checkpointName: cp.name,
        present: true,
        kind: taken.kind,
        fellBack: taken.fellBack,
        holdsMemory: holdsMemory(cp.vmState),
        vmStateAtCreation: taken.vmStateAtCreation,
        creationTime: cp.creationTime,
        ...checkpointDisks(cp, taken.storage),
        ...vmDisks(vm, taken.storage),
    };
}

/** The declared fields, as recorded (unset fields are dropped). */
export function declaredOf(inputs: GroupInputs): Omit<GroupOutputs, "members" | "lastRestoreTime" | "lastRestoreResult"> {
    const { vms, name, restoreTrigger, startAfterRestore, startOrder, simultaneous, minFreeSpace, maxChainDepth, resourceUrn } = inputs;
    return { vms, name: name!, restoreTrigger, startAfterRestore, startOrder, simultaneous, minFreeSpace, maxChainDepth, resourceUrn };
}
