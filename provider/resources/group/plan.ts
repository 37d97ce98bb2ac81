import type { TakeCheckpointRequest } from "../../host";
import { hyperVTypeOf } from "../shared/checkpoint-declaration";
import type { TakeDeclaration } from "../shared/refused-take";
import type { GroupInputs, GroupMember } from "./schema";

/** The declaration of one VM's checkpoint, in the terms of the take refusal rules. */
export function checkpointDeclaration(inputs: GroupInputs, member: GroupMember): TakeDeclaration {
    return { name: inputs.name, type: member.type };
}

/** The request for one VM's checkpoint. */
export function takeRequest(inputs: GroupInputs, member: GroupMember): TakeCheckpointRequest {
    return { name: inputs.name!, ...(member.type !== undefined ? { temporaryType: hyperVTypeOf[member.type] } : {}) };
}

/** Members in the order they start after a rollback (see startOrderSchema). */
export function inStartOrder<T>(members: readonly T[], startOrder: GroupInputs["startOrder"]): T[] {
    return startOrder === "declared" ? [...members] : [...members].reverse();
}
