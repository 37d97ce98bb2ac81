import { setTimeout as sleep } from "node:timers/promises";
import { HostError, mergeFailedDetail, mergeFailedHint, type HyperVHost, type VmMerge, type VmMergeFailure, type VmRef } from "../../host";
import { mergeReads } from "./merge-reads";

/*
 * Hyper-V merges a removed checkpoint's differencing disks in the background, after
 * Remove-VMSnapshot returns. A delete waits until the VM's disks are whole again, and a take
 * waits until a merge from an earlier run is over rather than adding a disk on top of it: both
 * poll the VM with one read each (the merge travels in the VM's read, no other round trip; the
 * waits on one VM share their reads, ./merge-reads.ts), show the progress on the resource, and
 * give up after hyperv:mergeTimeoutSeconds. A merge that stops without making the disks whole
 * (Hyper-V reports its job failed, event 19100) fails the wait at once with the host's reason,
 * rather than passing for a merge that finished or waiting out the timeout.
 */

/** How the provider waits for merges: the composition root (../../root.ts) makes the one of a process. */
export interface MergeWatch {
    /** hyperv:mergeTimeoutSeconds, as the stack configures it now. */
    timeoutSeconds(): number;
    /** Shows a status line on the resource `urn` while it waits (the engine's status, not a warning). */
    report(urn: string | undefined, message: string): Promise<void>;
    /** Milliseconds between two reads of the VM. */
    pollMs: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** 1.2 GiB, 350 MiB, 512 bytes: a size as an operator reads it. */
export function formatBytes(bytes: number): string {
    if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
    if (bytes >= MiB) return `${(bytes / MiB).toFixed(0)} MiB`;
    return `${bytes} bytes`;
}

/** "40% done, 1.2 GiB left", "40% done" (Hyper-V's merge job counts no bytes), "progress unknown". */
export function mergeProgress(merge: VmMerge): string {
    const parts = [
        ...(merge.percentComplete === undefined ? [] : [`${merge.percentComplete}% done`]),
        ...(merge.bytesLeft === undefined ? [] : [`${formatBytes(merge.bytesLeft)} left`]),
    ];
    return parts.length > 0 ? parts.join(", ") : "progress unknown";
}

/** "merging: 40% done, 1.2 GiB left" */
export function mergeStatus(merge: VmMerge): string {
    return `merging: ${mergeProgress(merge)}`;
}

export interface MergeWaitTarget {
    vm: VmRef;
    vmName: string;
    checkpoint: string;
    checkpointId?: string;
    /** The resource the progress shows on. */
    urn: string | undefined;
    /** What waits, for the error: "remove checkpoint" or "take checkpoint". */
    operation: string;
    /** Why the wait, in the error: what the operator should know about the state left behind. */
    whileWaiting: string;
}

/**
 * Reads the VM until it reports no merge, showing each new percentage on the resource; past the
 * timeout (counted from `startedAt`), a HostTimeout naming the VM, the checkpoint, the host and
 * what is left. A merge that ended in failure is a MergeFailed error with the host's reason and
 * what to do. A VM that disappears while merging ends the wait (nothing is left to merge).
 */
export async function waitForMerge(host: HyperVHost, target: MergeWaitTarget, watch: MergeWatch, startedAt: number = Date.now()): Promise<void> {
    const deadline = startedAt + watch.timeoutSeconds() * 1000;
    // A new line for each new percentage (-1: a merge whose percentage the host does not know).
    let shown: number | undefined;
    // Reads shared with the other waits on this VM, each started after this one began (./merge-reads.ts).
    const reads = mergeReads(host, target.vm);
    let after = reads.mark();
    for (;;) {
        const { seq, vm } = await reads.observe(after);
        after = seq;
        const merge = vm?.merge;
        if (!merge) {
            if (vm?.mergeFailure) throw mergeFailed(host, target, vm.mergeFailure);
            return;
        }
        if (Date.now() >= deadline) throw mergeTimedOut(host, target, merge, watch.timeoutSeconds());
        if ((merge.percentComplete ?? -1) !== shown) {
            shown = merge.percentComplete ?? -1;
            await watch.report(target.urn, `${mergeStatus(merge)} (${target.vmName})`);
        }
        await sleep(Math.max(0, Math.min(watch.pollMs, deadline - Date.now())));
    }
}

function contextOf(host: HyperVHost, target: MergeWaitTarget) {
    return {
        host: host.displayName,
        vm: target.vmName,
        ...("id" in target.vm ? { vmId: target.vm.id } : {}),
        checkpoint: target.checkpoint,
        ...(target.checkpointId !== undefined ? { checkpointId: target.checkpointId } : {}),
        operation: target.operation,
    };
}

function mergeFailed(host: HyperVHost, target: MergeWaitTarget, failure: VmMergeFailure): HostError {
    return new HostError("MergeFailed", `${mergeFailedDetail(failure)}; ${target.whileWaiting}`, contextOf(host, target), {
        hint: mergeFailedHint(target.vmName, failure.volume),
    });
}

function mergeTimedOut(host: HyperVHost, target: MergeWaitTarget, merge: VmMerge, seconds: number): HostError {
    return new HostError(
        "HostTimeout",
        `the VM's disks were still merging after ${seconds} s (hyperv:mergeTimeoutSeconds): ${mergeProgress(merge)}; ${target.whileWaiting}`,
        contextOf(host, target),
        {
            hint: `the merge goes on on the host: wait until the VM no longer shows "Merging disks" (Get-VM ${target.vmName} | Select Name, Status), then run \`pulumi up\` again; or raise hyperv:mergeTimeoutSeconds (\`pulumi config set hyperv:mergeTimeoutSeconds 7200\`)`,
        },
    );
}
