import { z } from "zod";
import { guardRefusal, HostError, takeWritesMemory, type CheckpointType, type TakeGuard, type Vm, type VmStorage } from "../../host";
import { withoutUndefined } from "../../shared/objects";
import { takeLimitFields } from "./disk-outputs";

/**
 * A VmCheckpointPolicy's take limits reach a take as an input of the Checkpoint (or of each VM of a
 * CheckpointGroup), `policyLimits`, not through the provider process's memory: that memory only
 * held a policy whose check ran in the same process, so `pulumi up --target` of a checkpoint, a
 * policy in another stack or another provider process took past the policy's limits in silence.
 * An input is in the program (the SDK's `policy.takeLimits`, or YAML's `${policy.maxChainDepth}`),
 * recorded in state, and the same in preview, `up` and every face of the provider. Storing the
 * limits on the host instead would need a place Hyper-V keeps for us per VM, and it has none but
 * the VM's Notes, which belong to the VM's owners.
 */
export const policyLimitsSchema = z.object(
    {
        minFreeSpace: takeLimitFields.minFreeSpace,
        maxChainDepth: takeLimitFields.maxChainDepth,
    },
    { message: "policyLimits must be the VM's policy's limits, e.g. policy.takeLimits or { minFreeSpace: \"10%\", maxChainDepth: 3 }" },
);
export type PolicyLimits = z.infer<typeof policyLimitsSchema>;

/** The limits on a take: the resource's own, else its VM's policy's. */
export function takeGuardOf(own: PolicyLimits, policyLimits: PolicyLimits | undefined): TakeGuard {
    return withoutUndefined({
        minFreeSpace: own.minFreeSpace ?? policyLimits?.minFreeSpace,
        maxChainDepth: own.maxChainDepth ?? policyLimits?.maxChainDepth,
    });
}

/** Two declarations of policyLimits say the same. */
export function samePolicyLimits(a: PolicyLimits | undefined, b: PolicyLimits | undefined): boolean {
    return a?.minFreeSpace === b?.minFreeSpace && a?.maxChainDepth === b?.maxChainDepth;
}

/** Where a take is checked against its limits: on which host, of which checkpoint, and whether preview predicts it. */
export interface GuardedTake {
    hostName: string;
    checkpoint: string | undefined;
    /** The checkpoint type the take runs under: its own, else the VM's. */
    type: CheckpointType | null;
    guard: TakeGuard;
    /** Takes of the VM that come first (preview plans several), each one disk deeper. */
    takenBefore: number;
    predicted: boolean;
}

/** The take guard's refusal of a take of `vm` as the error the host gives for it, or null (guardRefusal). */
export function guardError(vm: Vm, storage: VmStorage, take: GuardedTake): HostError | null {
    // A merge under way is waited for by the take, not refused (merge-wait.ts): the other limits are what can fail.
    const { merge: _waitedFor, ...settled } = vm;
    const refusal = guardRefusal(settled, storage, takeWritesMemory(vm, take.type), take.guard, take.takenBefore);
    if (refusal === null) return null;
    const context = { host: take.hostName, vm: vm.name, vmId: vm.id, checkpoint: take.checkpoint, operation: "take checkpoint" };
    return new HostError(refusal.code, refusal.detail, context, { predicted: take.predicted });
}
