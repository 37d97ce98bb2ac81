import type { FleetSpeedRun } from "./fleet-speed";
import CliTable from "cli-table3";

/** Plain tables (no colours), so they paste into BENCHMARKS.md as they are. */
class Table extends CliTable {
    constructor(options: { head: string[] }) {
        super({ ...options, style: { head: [], border: [] } });
    }
}
import { ENGINE_OPS, type EngineMeasurement } from "./engine";
import type { ProviderMeasurement } from "./in-process";
import type { RefreshTraffic, ShellCount, TrafficMeasurement } from "./traffic";

/** Everything one `npm run bench` measured; printed as tables and written as JSON. */
export interface BenchResults {
    startedAt: string;
    machine: { cpus: number; node: string; platform: string };
    sizes: number[];
    /** summary: the dynamic provider against its no-op floor; native: the native plugin against a no-op native plugin. */
    engine: { runs: EngineMeasurement[]; summary: EngineSummary[]; native?: EngineSummary[]; growth: Growth[] };
    provider: { runs: ProviderMeasurement[]; growth: Growth[] };
    traffic: { operations: TrafficMeasurement[]; refresh: RefreshTraffic[]; shells: ShellCount[] };
    fleet: FleetSpeedRun[];
}

export interface EngineSummary {
    vms: number;
    resources: number;
    op: string;
    floorSeconds: number;
    oursSeconds: number;
    /** ours / floor, wall time: the headline figure. */
    ratio: number;
    /** The floor registering with stack traces off as ours do, and ours against it (when measured). */
    quietFloorSeconds?: number;
    quietRatio?: number;
    floorPeakRssMb: number;
    oursPeakRssMb: number;
    providerCpuSeconds: number;
    /** State per resource after the operation: like is compared with like only when both are serialised alike. */
    floorStateBytes: number;
    oursStateBytes: number;
    bothRequired: boolean;
}

/**
 * How a figure grows from the smallest to the largest size: the exponent of a power law through
 * the two points (1 = linear in N, 2 = quadratic); a per-call figure that stays flat has 0.
 */
export interface Growth {
    figure: string;
    fromN: number;
    toN: number;
    from: number;
    to: number;
    exponent: number;
    verdict: string;
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

export function summariseEngine(
    runs: EngineMeasurement[],
    sides: { floor: string; ours: string; quiet?: string } = { floor: "floor", ours: "ours", quiet: "floor-quiet" },
): EngineSummary[] {
    const sizes = [...new Set(runs.map((r) => r.vms))];
    const out: EngineSummary[] = [];
    for (const vms of sizes) {
        for (const op of ENGINE_OPS) {
            const of = (mode: string) => runs.filter((r) => r.vms === vms && r.op === op && r.mode === mode);
            const floor = of(sides.floor);
            const ours = of(sides.ours);
            const quiet = sides.quiet ? of(sides.quiet) : [];
            if (!floor.length || !ours.length) continue;
            const floorSeconds = median(floor.map((r) => r.wallSeconds));
            const oursSeconds = median(ours.map((r) => r.wallSeconds));
            out.push({
                vms,
                resources: vms * 3,
                op,
                floorSeconds: r2(floorSeconds),
                oursSeconds: r2(oursSeconds),
                ratio: r2(oursSeconds / floorSeconds),
                ...(quiet.length
                    ? { quietFloorSeconds: r2(median(quiet.map((r) => r.wallSeconds))), quietRatio: r2(oursSeconds / median(quiet.map((r) => r.wallSeconds))) }
                    : {}),
                floorPeakRssMb: Math.max(...floor.map((r) => r.peakRssMb)),
                oursPeakRssMb: Math.max(...ours.map((r) => r.peakRssMb)),
                providerCpuSeconds: r2(median(ours.map((r) => r.providerCpuSeconds))),
                floorStateBytes: median(floor.map((r) => r.stateBytesPerResource)),
                oursStateBytes: median(ours.map((r) => r.stateBytesPerResource)),
                bothRequired: [...floor, ...ours].every((r) => r.providersRequired),
            });
        }
    }
    return out;
}

export function growth(figure: string, points: { n: number; value: number }[], perCall: boolean): Growth | undefined {
    const sorted = [...points].sort((a, b) => a.n - b.n);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    if (!first || !last || first.n === last.n || first.value <= 0 || last.value <= 0) return undefined;
    const exponent = r2(Math.log(last.value / first.value) / Math.log(last.n / first.n));
    // Per call, 0 means a constant cost (the total is linear); for totals, 1 means linear.
    const linearAt = perCall ? 0 : 1;
    const verdict =
        exponent <= linearAt + 0.25
            ? perCall
                ? "flat per call (total linear)"
                : "linear or better"
            : exponent <= linearAt + 0.6
              ? "slightly worse than linear"
              : "superlinear";
    return { figure, fromN: first.n, toN: last.n, from: first.value, to: last.value, exponent, verdict };
}

export function engineGrowth(summary: EngineSummary[]): Growth[] {
    const out: Growth[] = [];
    for (const op of ENGINE_OPS) {
        for (const mode of ["floor", "ours"] as const) {
            const points = summary.filter((s) => s.op === op).map((s) => ({ n: s.vms, value: mode === "floor" ? s.floorSeconds : s.oursSeconds }));
            const g = growth(`engine ${op}, ${mode} (s)`, points, false);
            if (g) out.push(g);
        }
    }
    return out;
}

export function providerGrowth(runs: ProviderMeasurement[]): Growth[] {
    const out: Growth[] = [];
    const keys = [...new Set(runs.map((r) => `${r.resource} ${r.op}`))];
    for (const key of keys) {
        const points = runs.filter((r) => `${r.resource} ${r.op}` === key).map((r) => ({ n: r.vms, value: r.msPerCall }));
        const g = growth(`${key} (ms per call)`, points, true);
        if (g) out.push(g);
    }
    return out;
}

export function render(results: BenchResults): string {
    const parts: string[] = [];
    if (results.engine.summary.length) {
        const t = new Table({
            head: [
                "N VMs",
                "resources",
                "operation",
                "floor s",
                "ours s",
                "ours/floor",
                "quiet floor s",
                "ours/quiet floor",
                "floor MB",
                "ours MB",
                "provider CPU s",
                "state B/resource floor/ours",
            ],
        });
        for (const s of results.engine.summary) {
            t.push([
                s.vms,
                s.resources,
                s.op,
                s.floorSeconds,
                s.oursSeconds,
                s.ratio,
                s.quietFloorSeconds ?? "",
                s.quietRatio ?? "",
                s.floorPeakRssMb,
                s.oursPeakRssMb,
                s.providerCpuSeconds,
                `${s.floorStateBytes} / ${s.oursStateBytes}${s.bothRequired ? "" : " (not serialised alike)"}`,
            ]);
        }
        parts.push("1. Engine floor vs provider (wall time, median of rounds; peak RSS of engine + plugins)", t.toString());
    }
    if (results.engine.native?.length) {
        const t = new Table({
            head: [
                "N VMs",
                "resources",
                "operation",
                "native floor s",
                "native s",
                "native/floor",
                "dynamic s",
                "native floor MB",
                "native MB",
                "state B/resource floor/native",
            ],
        });
        for (const s of results.engine.native) {
            const dynamic = results.engine.summary.find((d) => d.vms === s.vms && d.op === s.op);
            t.push([
                s.vms,
                s.resources,
                s.op,
                s.floorSeconds,
                s.oursSeconds,
                s.ratio,
                dynamic?.oursSeconds ?? "",
                s.floorPeakRssMb,
                s.oursPeakRssMb,
                `${s.floorStateBytes} / ${s.oursStateBytes}`,
            ]);
        }
        parts.push("1b. The native plugin against a no-op native plugin of the same shape (same run; dynamic s: the dynamic provider above)", t.toString());
    }
    if (results.provider.runs.length) {
        const t = new Table({ head: ["N VMs", "resource", "operation", "ms/call", "of which host ms", "provider ms", "host calls/call"] });
        for (const r of results.provider.runs) {
            t.push([r.vms, r.resource, r.op, r.msPerCall, r.hostMsPerCall, r2(r.msPerCall - r.hostMsPerCall), r.hostCallsPerCall]);
        }
        parts.push("2. Provider overhead in process (lab host, one call at a time)", t.toString());
    }
    const ops = results.traffic.operations[results.traffic.operations.length - 1];
    if (ops) {
        const t = new Table({ head: ["resource", "operation", "round trips", "bytes out/trip", "bytes in/trip", "scripts (first VM)"] });
        for (const o of ops.operations) t.push([o.resource, o.op, o.roundTrips, o.bytesOutPerTrip, o.bytesInPerTrip, o.scripts.join(", ")]);
        parts.push(`3. Host traffic through the PowerShell adapter (recording transport, ${ops.vms} VMs)`, t.toString());
        const refresh = new Table({ head: ["checkpoints on one VM (K)", "host queries for their refresh"] });
        for (const r of results.traffic.refresh) refresh.push([r.checkpoints, r.hostQueries]);
        const shells = new Table({ head: ["hosts", "resources", "shell sessions in the process"] });
        for (const s of results.traffic.shells) shells.push([s.hosts, s.resources, s.sessions]);
        parts.push(refresh.toString(), shells.toString());
    }
    if (results.fleet.length) {
        const t = new Table({
            head: [
                "adapter",
                "N VMs",
                "maxSessions",
                "engine --parallel",
                "operation",
                "ours s",
                "ideal floor s",
                "ours/floor",
                "longest VM chain s",
                "host work s (one at a time)",
            ],
        });
        for (const r of results.fleet) {
            t.push([r.adapter, r.vms, r.sessions, r.parallel ?? "default", r.op, r.seconds, r.floorSeconds, r.ratio, r.chainSeconds, r.serialSeconds]);
        }
        parts.push(
            "4. Fleet speed on a host as slow as Hyper-V (lab latency model, time-scaled; floor = max(longest VM chain, host work / maxSessions))",
            t.toString(),
        );
    }
    const g = [...results.engine.growth, ...results.provider.growth];
    if (g.length) {
        const t = new Table({ head: ["figure", "N", "from", "to", "exponent", "growth"] });
        for (const x of g) t.push([x.figure, `${x.fromN}→${x.toN}`, x.from, x.to, x.exponent, x.verdict]);
        parts.push("4. Growth with N (exponent of a power law through the smallest and largest N)", t.toString());
    }
    return parts.join("\n");
}
