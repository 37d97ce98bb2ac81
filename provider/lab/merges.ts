import type { VmMerge, VmMergeFailure } from "../host/model";
import type { LabVm } from "./document";
import { type LatencySettings, mergeDurationMs } from "./latency";

/*
 * Merges in the background, as Hyper-V runs them: Remove-VMSnapshot returns once the checkpoint is
 * gone, and the VM reports "Merging disks" until its differencing disks are merged into their
 * parents. The lab changes the files at once (the room is checked when the merge starts, see
 * checkpoints.ts) and records how long the copy takes under the latency model; the VM reports
 * progress as that time passes. A second removal while one merge runs queues behind it (Hyper-V
 * merges one chain at a time): the record then covers both. A merge whose volume fills while it
 * runs fails (failMerge): Hyper-V stops it where it was, logs event 19100 and tries again once
 * there is room. Sources and assumptions: README.md, "Merges".
 */

/** ERROR_DISK_FULL as Hyper-V reports it (HRESULT 0x80070070), the reason a merge out of space gives. */
export const DISK_FULL_REASON = "There is not enough space on the disk. (0x80070070)";

/** The merge under way on `vm` at `now`, or undefined when there is none or it is over. */
export function mergeProgress(vm: LabVm, now: number = Date.now()): VmMerge | undefined {
    const merge = vm.merge;
    if (!merge) return undefined;
    const elapsed = now - Date.parse(merge.startedAt);
    if (elapsed >= merge.durationMs) return undefined;
    const done = Math.max(0, elapsed) / merge.durationMs;
    return { percentComplete: Math.floor(done * 100), bytesLeft: Math.ceil(merge.bytes * (1 - done)) };
}

/** Records a merge of `bytes` starting `now` on `vm`, behind any merge still under way. */
export function startMerge(vm: LabVm, bytes: number, latency: LatencySettings, now: number = Date.now()): void {
    // A merge that starts supersedes the failure of the one before (Hyper-V's latest merge job).
    vm.mergeFailure = null;
    const durationMs = mergeDurationMs(bytes, latency);
    const running = vm.merge && mergeProgress(vm, now) ? vm.merge : null;
    if (durationMs <= 0 && !running) {
        vm.merge = null;
        return;
    }
    const leftMs = running ? Date.parse(running.startedAt) + running.durationMs - now : 0;
    const leftBytes = running ? (mergeProgress(vm, now)?.bytesLeft ?? 0) : 0;
    vm.merge = { startedAt: new Date(now).toISOString(), durationMs: leftMs + durationMs, bytes: leftBytes + bytes };
}

/** Stops the merge under way on `vm` for lack of room on `volume`, where it is at `now`. */
export function failMerge(vm: LabVm, volume: string, now: number = Date.now()): void {
    const progress = mergeProgress(vm, now);
    if (!progress) return;
    vm.merge = null;
    vm.mergeFailure = {
        at: new Date(now).toISOString(),
        reason: DISK_FULL_REASON,
        volume,
        percentComplete: progress.percentComplete ?? 0,
        bytesLeft: progress.bytesLeft ?? 0,
    };
}

/** Starts a failed merge again with what it had left (Hyper-V retries once there is room). */
export function retryMerge(vm: LabVm, latency: LatencySettings, now: number = Date.now()): void {
    const failure = vm.mergeFailure;
    if (!failure) return;
    startMerge(vm, failure.bytesLeft, latency, now);
}

/** The failure the VM reports: its latest merge failed and none runs now. */
export function mergeFailureOf(vm: LabVm): VmMergeFailure | undefined {
    const failure = vm.mergeFailure;
    if (!failure || vm.merge) return undefined;
    return { reason: failure.reason, percentComplete: failure.percentComplete, volume: failure.volume };
}
