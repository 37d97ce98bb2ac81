import { isHostError, type HostCapabilities, type HyperVHost, type Vm, type VmWithCheckpoints } from "../../host";
import type { PreviewMemory } from "./preview";
import { explainRefusedTake, type TakeDeclaration } from "./refused-take";
import { asStackOverLimit } from "./stack-limit";

/** What preview expects of one take: a Checkpoint's, or one VM's of a CheckpointGroup. */
export interface TakePrediction {
    /** The VM as the take finds it: with the checkpoint policy a VmCheckpointPolicy of this preview declares for it. */
    vm: Vm;
    /** The refusal `up` would meet, counting the checkpoints this preview takes of the VM first; null if none. */
    refusal: unknown;
    /** The refusal is CheckpointsDisabled, and only a policy of this preview disables the VM. */
    disabledByStackOnly: boolean;
}

/**
 * The prediction Checkpoint and CheckpointGroup previews share, from the VM's shared read:
 * explainRefusedTake, which `up` explains its refusals with, on the VM as the take will find it.
 * `paused`: the take pauses the running VM first (a simultaneous group). Changes nothing and plans
 * nothing: each caller records its take with preview.planCreate.
 */
export function predictTake(
    host: HyperVHost,
    preview: PreviewMemory,
    listing: VmWithCheckpoints,
    declaration: TakeDeclaration,
    caps: HostCapabilities,
    paused = false,
): TakePrediction {
    const declaredType = preview.declaredPolicy(host, listing.vm.id);
    const vm = declaredType !== undefined ? { ...listing.vm, checkpointType: declaredType } : listing.vm;
    const plannedBefore = preview.plannedCreates(host, vm.id);
    const atTake = paused ? { ...vm, state: "Paused" as const } : vm;
    let refusal: unknown = null;
    try {
        explainRefusedTake(declaration, atTake, listing.checkpoints.length + plannedBefore, caps, host.displayName);
    } catch (e) {
        refusal = asStackOverLimit(e, listing.checkpoints.length, plannedBefore);
    }
    const disabledByStackOnly = declaredType === "Disabled" && listing.vm.checkpointType !== "Disabled" && isHostError(refusal, "CheckpointsDisabled");
    return { vm, refusal, disabledByStackOnly };
}
