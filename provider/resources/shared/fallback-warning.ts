import { holdsMemory, productionBlocker, type TakenCheckpoint } from "../../host";

/**
 * A production checkpoint that fell back to a standard one with memory state is not what the
 * declaration asked for: applying it brings the VM back Saved, mid-work, instead of from a clean
 * guest shutdown state (the `fellBack` output records it, but nobody reads outputs while an `up`
 * runs). Undefined when the checkpoint is what was asked for, or holds no memory.
 */
export function fellBackWithMemory({ vm, checkpoint, fellBack }: TakenCheckpoint): string | undefined {
    if (!fellBack || !holdsMemory(checkpoint.vmState)) return undefined;
    const why = productionBlocker(vm)?.detail;
    return (
        `VM "${vm.name}" (${vm.id}): asked for a production checkpoint, Hyper-V made a standard one with memory state instead${why ? ` (${why})` : ""}: ` +
        `applying "${checkpoint.name}" (${checkpoint.id}) brings the VM back Saved, with the memory it held then: crash-consistent, not application-consistent. ` +
        'To be refused instead, set fallbackToStandard: false on the VM\'s policy or give the checkpoint type: "productionOnly"; or fix the reason and take it again'
    );
}
