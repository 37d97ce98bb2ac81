import * as fs from "node:fs";
import * as path from "node:path";
import { inspectLab, setHostSettings } from "../provider/lab";
import { WORK_LOG_ENV } from "../provider/lab/latency";
import { standInModulePath } from "../test/powershell/stand-in/modules";
import { StandInServer } from "../test/powershell/stand-in/server";
import { findPwsh } from "../test/powershell/support/real-shells";
import { fleetStack, repoRoot } from "./engine";
import { fleetLab } from "./lab-fleet";
import { type ProcessRole, type TreeUsage, watchProcessTree } from "./process-tree";

/*
 * Fleet speed on one host that takes as long as Hyper-V: `up` and `destroy` of N VMs x (1 policy +
 * 2 checkpoints) through the real engine, the lab's `realistic` latency model time-scaled, through
 * the lab adapter and through PowerShell 7 on the Hyper-V stand-in (which is the lab), for several
 * hyperv:maxSessions. The VMs run with 4 GB of memory: each standard checkpoint writes it.
 *
 * Next to each run, the ideal floor for the work the host actually did (every process that served
 * it appends its waits to HYPERV_LAB_WORK_LOG): the larger of the longest chain of work on one VM
 * (one VM's operations cannot overlap) and all the work divided by the sessions. ours/floor is the
 * headline: 1 would be a provider and engine that cost nothing and never leave a session idle.
 */

/** `lab-cluster`: the lab as a three-node cluster, the VMs dealt over the nodes, maxSessions per node. */
export type FleetAdapter = "lab" | "lab-cluster" | "pwsh-local";

/** Nodes of the `lab-cluster` fleet. */
const CLUSTER_NODES = 3;

export interface FleetSpeedRun {
    adapter: FleetAdapter;
    vms: number;
    sessions: number;
    /** The engine's --parallel; undefined is its default. */
    parallel?: number;
    op: "up" | "destroy";
    seconds: number;
    /** max(longest per-VM chain, total work / sessions), from the work log. */
    floorSeconds: number;
    chainSeconds: number;
    workSeconds: number;
    ratio: number;
    /** The same host work done one operation at a time (the provider before the pool). */
    serialSeconds: number;
    /**
     * CPU seconds spent on this machine during the operation, by process: the engine, the program,
     * the provider, the PowerShell shells, and this process (which serves the stand-in's lab).
     */
    cpu: Record<ProcessRole | "standIn", number>;
    /** The same CPU per resource operation (3 per VM), in milliseconds, start-ups included. */
    cpuPerOperationMs: Record<ProcessRole | "standIn", number>;
    /** PowerShell shells started during the operation (their start-up is in the shell CPU). */
    shellsStarted: number;
}

export interface FleetSpeedOptions {
    sizes: number[];
    sessions: number[];
    adapters: FleetAdapter[];
    timeScale: number;
    parallel?: number;
    log: (line: string) => void;
}

interface WorkLine {
    vmId: string | null;
    ms: number;
}

/**
 * The floor for the work in `file`: per-VM chains and the total, in seconds. On a cluster
 * (`nodeOf` gives each VM's node) each node has its own `sessions`: the floor is the busiest
 * node's work over its sessions (reads, logged without a VM, shared out evenly), or the longest chain.
 */
export function floorOf(
    file: string,
    sessions: number,
    nodeOf?: ReadonlyMap<string, string>,
): Pick<FleetSpeedRun, "floorSeconds" | "chainSeconds" | "workSeconds"> {
    const lines = fs.existsSync(file)
        ? fs
              .readFileSync(file, "utf8")
              .split("\n")
              .filter(Boolean)
              .map((l) => JSON.parse(l) as WorkLine)
        : [];
    const chains = new Map<string, number>();
    let total = 0;
    for (const { vmId, ms } of lines) {
        total += ms;
        if (vmId) chains.set(vmId, (chains.get(vmId) ?? 0) + ms);
    }
    const chain = Math.max(0, ...chains.values());
    const r2 = (ms: number) => Math.round(ms / 10) / 100;
    if (!nodeOf) return { floorSeconds: r2(Math.max(chain, total / sessions)), chainSeconds: r2(chain), workSeconds: r2(total) };
    const nodes = [...new Set(nodeOf.values())];
    const byNode = new Map(nodes.map((n) => [n, 0]));
    for (const [vmId, ms] of chains) {
        const node = nodeOf.get(vmId);
        if (node !== undefined) byNode.set(node, (byNode.get(node) ?? 0) + ms);
    }
    const unplaced = total - [...byNode.values()].reduce((a, b) => a + b, 0);
    const busiest = Math.max(0, ...[...byNode.values()].map((ms) => ms + unplaced / nodes.length));
    return { floorSeconds: r2(Math.max(chain, busiest / sessions)), chainSeconds: r2(chain), workSeconds: r2(total) };
}

/** The stand-in module and its server, for the PowerShell adapter; started once per run of the bench. */
async function standIn(): Promise<{ server: StandInServer; env: Record<string, string> }> {
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("the PowerShell adapter needs pwsh on PATH: bash scripts/ensure-powershell.sh, then export PATH=$HOME/.dotnet/tools:$PATH");
    const server = new StandInServer();
    await server.start();
    const PATH = `${path.dirname(pwsh)}${path.delimiter}${process.env.PATH ?? ""}`;
    return { server, env: { PATH, HYPERV_STANDIN_URL: server.url, PSModulePath: standInModulePath(pwsh) } };
}

export async function measureFleetSpeed(options: FleetSpeedOptions): Promise<FleetSpeedRun[]> {
    const workRoot = path.join(repoRoot, "bench-results", "work");
    fs.mkdirSync(workRoot, { recursive: true });
    const shells = options.adapters.includes("pwsh-local") ? await standIn() : undefined;
    const runs: FleetSpeedRun[] = [];
    try {
        for (const vms of options.sizes) {
            for (const sessions of options.sessions) {
                for (const adapter of options.adapters) {
                    runs.push(...(await measureOne(adapter, vms, sessions, options, workRoot, shells)));
                }
            }
        }
    } finally {
        await shells?.server.stop();
    }
    return runs;
}

async function measureOne(
    adapter: FleetAdapter,
    vms: number,
    sessions: number,
    options: FleetSpeedOptions,
    workRoot: string,
    shells: Awaited<ReturnType<typeof standIn>> | undefined,
): Promise<FleetSpeedRun[]> {
    const cluster = adapter === "lab-cluster" ? CLUSTER_NODES : undefined;
    const lab = await fleetLab(vms, workRoot, { state: "Running", checkpointType: "Production" }, cluster);
    const nodeOf = cluster === undefined ? undefined : new Map(inspectLab(lab).vms.map((e) => [e.vm.id, e.placement?.ownerNode ?? ""]));
    await setHostSettings(lab, { latency: { profile: "realistic", timeScale: options.timeScale } });
    const workLog = path.join(lab, "work.jsonl");
    // The stand-in serves the lab from this process; the lab adapter from the provider's.
    process.env[WORK_LOG_ENV] = workLog;
    if (shells) shells.server.lab = lab;
    const reach: Record<string, { value: string }> = adapter !== "pwsh-local" ? {} : { "hyperv:host": { value: "local" }, "hyperv:shell": { value: "pwsh" } };
    const { stack, workDir } = await fleetStack("ours", vms, workRoot, {
        lab,
        config: { ...reach, "hyperv:maxSessions": { value: String(sessions) } },
        env: { [WORK_LOG_ENV]: workLog, ...(adapter !== "pwsh-local" ? {} : shells!.env) },
    });
    const out: FleetSpeedRun[] = [];
    try {
        for (const op of ["up", "destroy"] as const) {
            fs.rmSync(workLog, { force: true });
            const start = process.hrtime.bigint();
            const ownCpu = process.cpuUsage();
            const watch = watchProcessTree(250);
            let usage: TreeUsage | undefined;
            const parallel = options.parallel !== undefined ? { parallel: options.parallel } : {};
            const result = await (op === "up" ? stack.up(parallel) : stack.destroy(parallel)).finally(() => {
                usage = watch.stop();
            });
            if (result.summary.result !== "succeeded") throw new Error(`${adapter} ${op} of ${vms} VMs: ${result.summary.result}`);
            const seconds = Math.round(Number(process.hrtime.bigint() - start) / 1e7) / 100;
            const own = process.cpuUsage(ownCpu);
            const cpu = { ...usage!.cpuByRole, standIn: Math.round((own.user + own.system) / 1e4) / 100 };
            const floor = floorOf(workLog, sessions, nodeOf);
            const operations = 3 * vms;
            const cpuPerOperationMs = Object.fromEntries(
                Object.entries(cpu).map(([role, s]) => [role, Math.round((s * 10000) / operations) / 10]),
            ) as FleetSpeedRun["cpuPerOperationMs"];
            const run: FleetSpeedRun = {
                adapter,
                vms,
                sessions,
                op,
                seconds,
                ...floor,
                ratio: Math.round((seconds / floor.floorSeconds) * 100) / 100,
                serialSeconds: floor.workSeconds,
                cpu,
                cpuPerOperationMs,
                shellsStarted: usage!.shellsStarted,
                ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
            };
            options.log(
                `fleet ${adapter} N=${vms} maxSessions ${sessions}: ${op} ${seconds}s, floor ${run.floorSeconds}s (chain ${run.chainSeconds}s, work ${run.workSeconds}s), ours/floor ${run.ratio}; CPU s ${Object.entries(
                    cpu,
                )
                    .map(([role, s]) => `${role} ${s}`)
                    .join(
                        ", ",
                    )}; per operation CPU-ms shell ${cpuPerOperationMs.shell}, engine ${cpuPerOperationMs.engine}, provider ${cpuPerOperationMs.provider}; ${run.shellsStarted} shells started`,
            );
            out.push(run);
        }
    } finally {
        delete process.env[WORK_LOG_ENV];
        fs.rmSync(workDir, { recursive: true, force: true });
        fs.rmSync(lab, { recursive: true, force: true });
    }
    return out;
}
