import { HostError, isHostError, MAX_CHECKPOINTS_PER_VM } from "../../host";

/**
 * Preview counts the checkpoints the stack itself takes of a VM towards Hyper-V's 50. When they
 * are what passes the limit, the host is not to blame ("the VM already has 50 checkpoints" of a VM
 * with none): the refusal says what the stack would do, and the way out is in the stack.
 */
export function asStackOverLimit(e: unknown, existing: number, plannedBefore: number): unknown {
    if (!isHostError(e, "CheckpointLimit") || plannedBefore === 0) return e;
    const takes = plannedBefore + 1;
    const room = Math.max(MAX_CHECKPOINTS_PER_VM - existing, 0);
    return new HostError(
        e.code,
        `this stack would take ${takes} checkpoints of the VM, which has ${existing}: ${existing + takes} would pass Hyper-V's limit of ${MAX_CHECKPOINTS_PER_VM} per VM`,
        e.context,
        {
            hint: `declare at most ${room} checkpoint${room === 1 ? "" : "s"} of this VM in the stack (a CheckpointGroup counts one for each of its VMs), or delete or merge old ones first`,
            cause: e.cause ?? e,
            predicted: e.predicted,
        },
    );
}
