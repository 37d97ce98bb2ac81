import type { TakeCheckpointRequest, TakeGuard } from "../../host";
import { takeGuardOf } from "../shared/take-limits";
import { hyperVTypeOf } from "../shared/checkpoint-declaration";
import type { TakeDeclaration } from "../shared/refused-take";
import type { GroupInputs, GroupMember } from "./schema";

/** The declaration of one VM's checkpoint, in the terms of the take refusal rules. */
export function checkpointDeclaration(inputs: GroupInputs, member: GroupMember): TakeDeclaration {
    return { name: inputs.name, type: member.type };
}

/** The limits on one VM's take: the group's own, else the VM's policy's (as for a Checkpoint). */
export function memberGuard(inputs: GroupInputs, member: GroupMember): TakeGuard {
    return takeGuardOf(inputs, member.policyLimits);
}

/**
 * The request for one VM's checkpoint. Always with a guard, if empty: the host then refuses a take
 * that cannot fit at all, in the words the group's check before the takes uses.
 */
export function takeRequest(inputs: GroupInputs, member: GroupMember): TakeCheckpointRequest {
    return { name: inputs.name!, ...(member.type !== undefined ? { temporaryType: hyperVTypeOf[member.type] } : {}), guard: memberGuard(inputs, member) };
}

/** Members in the order they start after a rollback (see startOrderSchema). */
export function inStartOrder<T>(members: readonly T[], startOrder: GroupInputs["startOrder"]): T[] {
    return startOrder === "declared" ? [...members] : [...members].reverse();
}
