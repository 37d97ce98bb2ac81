import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { measureEngine, type Mode, repoRoot } from "./engine";
import { measureFleetSpeed, type FleetAdapter } from "./fleet-speed";
import { measureProvider } from "./in-process";
import { engineGrowth, providerGrowth, render, summariseEngine, type BenchResults } from "./report";
import { measureOperations, measureRefresh, measureShells } from "./traffic";

export interface BenchOptions {
    /** Fleet sizes, in VMs (each VM: 1 policy + 2 checkpoints). */
    sizes: number[];
    /** Checkpoints on one VM for the refresh traffic figure. */
    refreshSizes: number[];
    /** Engine rounds per size (floor and ours alternate within each). */
    rounds: number;
    /** The engine part's sides (default: all five, alternating in one loop). */
    engineSides?: readonly Mode[];
    /** Which parts to run. */
    parts: { engine: boolean; provider: boolean; traffic: boolean; fleet: boolean };
    /** The fleet-speed part: sizes, maxSessions values, adapters, the latency model's time scale, the engine's --parallel. */
    fleet?: { sizes: number[]; sessions: number[]; adapters: FleetAdapter[]; timeScale: number; parallel?: number };
    /** Where the JSON goes. */
    out: string;
    log: (line: string) => void;
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
    const results: BenchResults = {
        startedAt: new Date().toISOString(),
        machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
        sizes: options.sizes,
        engine: { runs: [], summary: [], growth: [] },
        provider: { runs: [], growth: [] },
        traffic: { operations: [], refresh: [], shells: [] },
        fleet: [],
    };
    if (options.parts.traffic) {
        for (const vms of options.sizes) results.traffic.operations.push(await measureOperations(vms));
        for (const k of options.refreshSizes) results.traffic.refresh.push(await measureRefresh(k));
        results.traffic.shells.push(measureShells(1, 3 * Math.max(...options.sizes)), measureShells(3, 3 * Math.max(...options.sizes)));
        options.log("traffic measured");
    }
    if (options.parts.provider) {
        results.provider.runs = await measureProvider(options.sizes);
        results.provider.growth = providerGrowth(results.provider.runs);
        options.log("provider overhead measured");
    }
    if (options.parts.engine) {
        results.engine.runs = await measureEngine(options.sizes, options.rounds, options.log, options.engineSides);
        results.engine.summary = summariseEngine(results.engine.runs);
        results.engine.native = summariseEngine(results.engine.runs, { floor: "native-floor", ours: "native" });
        results.engine.growth = engineGrowth(results.engine.summary);
    }
    if (options.parts.fleet) {
        const fleet = options.fleet ?? { sizes: [50, 200], sessions: [1, 4, 8], adapters: ["lab", "pwsh-local"], timeScale: 0.1 };
        results.fleet = await measureFleetSpeed({ ...fleet, log: options.log });
    }
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    return results;
}

const SIDES: readonly Mode[] = ["floor", "floor-quiet", "ours", "native-floor", "native"];
function parseSides(value: string): Mode[] {
    return value.split(",").map((s) => {
        const side = s.trim() as Mode;
        if (!SIDES.includes(side)) throw new Error(`--engine-sides: "${s}" is not one of ${SIDES.join(", ")}`);
        return side;
    });
}

const list = (value: string) =>
    value.split(",").map((s) => {
        const n = Number(s.trim());
        if (!Number.isInteger(n) || n < 1) throw new Error(`"${s}" is not a positive whole number`);
        return n;
    });

async function main(): Promise<void> {
    const program = new Command("bench")
        .description("hyperv-checkpoints benchmark: engine floor vs provider, provider overhead, host traffic")
        .option("--sizes <list>", "fleet sizes in VMs (each: 1 policy + 2 checkpoints)", list, [10, 100, 500])
        .option("--refresh-sizes <list>", "checkpoints on one VM for the refresh traffic figure", list, [1, 10, 50])
        .option("--rounds <n>", "engine rounds per size", Number, 1)
        .option("--only <parts>", "engine,provider,traffic,fleet (fleet takes long: it runs at Hyper-V's pace, time-scaled)", "engine,provider,traffic")
        .option(
            "--engine-sides <list>",
            "engine: which sides to run (floor,floor-quiet,ours,native-floor,native)",
            "floor,floor-quiet,ours,native-floor,native",
        )
        .option("--fleet-sizes <list>", "fleet speed: sizes in VMs", list, [50, 200])
        .option("--sessions <list>", "fleet speed: hyperv:maxSessions values", list, [1, 4, 8])
        .option("--adapters <list>", "fleet speed: lab,lab-cluster (3 nodes, maxSessions each),pwsh-local", "lab,pwsh-local")
        .option("--time-scale <factor>", "fleet speed: the latency model's time scale (1 is Hyper-V's pace)", Number, 0.1)
        .option("--parallel <n>", "fleet speed: the engine's --parallel (default: the engine's own)", Number)
        .option("--out <file>", "JSON results", path.join(repoRoot, "bench-results", "latest.json"))
        .parse();
    const o = program.opts<{
        sizes: number[];
        refreshSizes: number[];
        rounds: number;
        only: string;
        engineSides: string;
        out: string;
        fleetSizes: number[];
        sessions: number[];
        adapters: string;
        timeScale: number;
        parallel?: number;
    }>();
    const only = new Set(o.only.split(","));
    const results = await runBench({
        sizes: o.sizes,
        refreshSizes: o.refreshSizes,
        rounds: o.rounds,
        out: o.out,
        engineSides: parseSides(o.engineSides),
        parts: { engine: only.has("engine"), provider: only.has("provider"), traffic: only.has("traffic"), fleet: only.has("fleet") },
        fleet: {
            sizes: o.fleetSizes,
            sessions: o.sessions,
            adapters: o.adapters.split(",") as FleetAdapter[],
            timeScale: o.timeScale,
            ...(o.parallel !== undefined ? { parallel: o.parallel } : {}),
        },
        log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${render(results)}\n\nJSON: ${o.out}\n`);
}

if (require.main === module) {
    main().then(
        () => process.exit(0),
        (e: unknown) => {
            process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
            process.exit(1);
        },
    );
}
