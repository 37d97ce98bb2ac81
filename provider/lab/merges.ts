import type { VmMerge } from "../host/model";
import type { LabVm } from "./document";
import { type LatencySettings, mergeDurationMs } from "./latency";

/*
 * Merges in the background, as Hyper-V runs them: Remove-VMSnapshot returns once the checkpoint is
 * gone, and the VM reports "Merging disks" until its differencing disks are merged into their
 * parents. The lab changes the files at once (the room is checked when the merge starts, see
 * checkpoints.ts) and records how long the copy takes under the latency model; the VM reports
 * progress as that time passes. A second removal while one merge runs queues behind it (Hyper-V
 * merges one chain at a time): the record then covers both. Sources and assumptions: README.md,
 * "Merges".
 */

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
