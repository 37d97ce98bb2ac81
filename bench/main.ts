import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { measureEngine, repoRoot } from "./engine";
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
    /** Which parts to run. */
    parts: { engine: boolean; provider: boolean; traffic: boolean };
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
        results.engine.runs = await measureEngine(options.sizes, options.rounds, options.log);
        results.engine.summary = summariseEngine(results.engine.runs);
        results.engine.growth = engineGrowth(results.engine.summary);
    }
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    return results;
}

const list = (value: string) => value.split(",").map((s) => {
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
        .option("--only <parts>", "engine,provider,traffic", "engine,provider,traffic")
        .option("--out <file>", "JSON results", path.join(repoRoot, "bench-results", "latest.json"))
        .parse();
    const o = program.opts<{ sizes: number[]; refreshSizes: number[]; rounds: number; only: string; out: string }>();
    const only = new Set(o.only.split(","));
    const results = await runBench({
        sizes: o.sizes, refreshSizes: o.refreshSizes, rounds: o.rounds, out: o.out,
        parts: { engine: only.has("engine"), provider: only.has("provider"), traffic: only.has("traffic") },
        log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${render(results)}\n\nJSON: ${o.out}\n`);
}

if (require.main === module) {
    main().then(() => process.exit(0), (e: unknown) => {
        process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
    });
}
