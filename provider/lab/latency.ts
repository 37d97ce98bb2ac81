import * as fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";

/*
 * How long the simulated host takes: Hyper-V's operations last seconds to minutes (VSS in the
 * guest, memory written to disk, disks merged), and a provider that runs them one at a time pays
 * their sum. The figures and their sources are in README.md ("Latency"); `timeScale` runs the
 * same model faster (0.01: a 10-minute merge takes 6 s).
 */

export const latencyProfileSchema = z.enum(["none", "realistic"]);
export type LatencyProfile = z.infer<typeof latencyProfileSchema>;

export const latencySettingsSchema = z.object({
    profile: latencyProfileSchema.default("none"),
    /** Multiplies every duration: 1 is real time, 0.01 a hundred times faster. */
    timeScale: z.number().positive().max(1000).default(1),
});
export type LatencySettings = z.infer<typeof latencySettingsSchema>;

/** The work one operation does on the host, as the lab's rules report it (see Transaction.spend). */
export type HostWork =
    | { operation: "read" }
    | { operation: "setVm" }
    | { operation: "diskCheckpoint" }
    | { operation: "productionCheckpoint" }
    | { operation: "memoryCheckpoint"; memoryMB: number }
    | { operation: "apply"; memoryMB: number }
    | { operation: "remove" }
    | { operation: "start" }
    | { operation: "stop" }
    | { operation: "save"; memoryMB: number };

/** Durations in milliseconds and throughputs in MB/s at time scale 1; README.md gives each one's source. */
export const realisticLatency = {
    readMs: 150,
    setVmMs: 500,
    diskCheckpointMs: 2000,
    productionCheckpointMs: 15000,
    memoryCheckpointMs: 2000,
    memoryWriteMBps: 500,
    applyMs: 3000,
    memoryReadMBps: 1000,
    removeMs: 2000,
    mergeMBps: 150,
    startMs: 3000,
    stopMs: 10000,
} as const;

const MB = 1024 * 1024;

/** Model time of one piece of work, before the time scale. */
function realisticMs(work: HostWork): number {
    const t = realisticLatency;
    switch (work.operation) {
        case "read":
            return t.readMs;
        case "setVm":
            return t.setVmMs;
        case "diskCheckpoint":
            return t.diskCheckpointMs;
        case "productionCheckpoint":
            return t.productionCheckpointMs;
        case "memoryCheckpoint":
            return t.memoryCheckpointMs + (work.memoryMB / t.memoryWriteMBps) * 1000;
        case "apply":
            return t.applyMs + (work.memoryMB / t.memoryReadMBps) * 1000;
        case "remove":
            return t.removeMs;
        case "start":
            return t.startMs;
        case "stop":
            return t.stopMs;
        case "save":
            return (work.memoryMB / t.memoryWriteMBps) * 1000;
    }
}

/**
 * How long merging `bytes` into their parent disk takes under `settings`, in real milliseconds.
 * Hyper-V merges in the background after Remove-VMSnapshot returns (./merges.ts), so this is no
 * operation's wait: the lab records it on the VM and reports progress as time passes.
 */
export function mergeDurationMs(bytes: number, settings: LatencySettings): number {
    const effective = effectiveLatency(settings);
    if (effective.profile === "none") return 0;
    return (bytes / MB / realisticLatency.mergeMBps) * 1000 * effective.timeScale;
}

/** How long `work` keeps the host busy under `settings`, in real milliseconds. */
export function durationMs(work: readonly HostWork[], settings: LatencySettings): number {
    if (settings.profile === "none") return 0;
    return work.reduce((sum, w) => sum + realisticMs(w), 0) * settings.timeScale;
}

export const LATENCY_ENV = "HYPERV_LAB_LATENCY";

/**
 * `HYPERV_LAB_LATENCY=<profile>[@<timeScale>]`, e.g. `realistic@0.01`, overrides the lab's own
 * setting, so a benchmark or test can slow a lab down without changing it.
 */
export function latencyFromEnvironment(value: string | undefined): LatencySettings | undefined {
    if (value === undefined || value === "") return undefined;
    const [profile, scale] = value.split("@");
    const parsed = latencySettingsSchema.safeParse({ profile, ...(scale !== undefined ? { timeScale: Number(scale) } : {}) });
    if (!parsed.success) {
        throw new Error(
            `${LATENCY_ENV}="${value}" is not <profile>[@<timeScale>] with a profile of ${latencyProfileSchema.options.join(", ")} and a positive time scale, e.g. realistic@0.01`,
        );
    }
    return parsed.data;
}

export function effectiveLatency(configured: LatencySettings): LatencySettings {
    return latencyFromEnvironment(process.env[LATENCY_ENV]) ?? configured;
}

export const WORK_LOG_ENV = "HYPERV_LAB_WORK_LOG";

/**
 * Waits as long as `work` takes; resolves at once under the `none` profile. With
 * HYPERV_LAB_WORK_LOG naming a file, appends one line per wait (the VM, the work, the real ms), so
 * that a benchmark can compute the ideal time for the work the host actually did, from every
 * process that served it.
 */
export async function spendTime(work: readonly HostWork[], configured: LatencySettings, vmId?: string): Promise<void> {
    const ms = durationMs(work, effectiveLatency(configured));
    if (ms <= 0) return;
    const log = process.env[WORK_LOG_ENV];
    if (log) fs.appendFileSync(log, `${JSON.stringify({ vmId: vmId?.toLowerCase() ?? null, ms, work: work.map((w) => w.operation) })}\n`);
    await sleep(ms);
}
