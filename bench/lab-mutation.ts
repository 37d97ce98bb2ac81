import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { Command } from "commander";
import { journalPath, LabHost, readLab } from "../provider/lab";
import { fleetLab } from "./lab-fleet";

/*
 * What one lab mutation costs as the fleet grows: the lab must cost the same per call at 10 VMs
 * as at 1,000 (the one-document store rewrote every VM on every call). Each round takes a
 * checkpoint of the next VM and removes it again, so every VM's record stays the same size
 * whatever N is, and only the fleet around it grows.
 */

export interface LabMutationCost {
    vms: number;
    mutations: number;
    /** Mean over every call, compactions included. */
    msPerMutation: number;
    medianMsPerMutation: number;
    /** This process's CPU time per call: what the store computes, without the waits for the disk that load inflates. */
    cpuMsPerMutation: number;
    /** One VM read through the port (Get-VM), mean. */
    msPerRead: number;
    journalBytes: number;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function measureLabMutation(vms: number, rounds: number): Promise<LabMutationCost> {
    const folder = await fleetLab(vms);
    try {
        const host = new LabHost(folder);
        const ids = readLab(folder).vms.map((v) => v.id);
        const vmAt = (i: number) => ids[i % ids.length] as string;
        // Warm-up: the first calls pay for loading modules and the lab, not for the fleet.
        for (let i = 0; i < 5; i++) {
            const taken = await host.takeCheckpoint({ id: vmAt(i) }, { name: "warm-up" });
            await host.removeCheckpoint(vmAt(i), taken.checkpoint.id);
        }
        const times: number[] = [];
        const cpuBefore = process.cpuUsage();
        for (let i = 0; i < rounds; i++) {
            let start = performance.now();
            const taken = await host.takeCheckpoint({ id: vmAt(i) }, { name: `round ${i}` });
            times.push(performance.now() - start);
            start = performance.now();
            await host.removeCheckpoint(vmAt(i), taken.checkpoint.id);
            times.push(performance.now() - start);
        }
        const cpu = process.cpuUsage(cpuBefore);
        const readStart = performance.now();
        for (let i = 0; i < rounds; i++) await host.getVm({ id: vmAt(i) });
        const msPerRead = (performance.now() - readStart) / rounds;
        return {
            vms,
            mutations: times.length,
            msPerMutation: times.reduce((a, b) => a + b, 0) / times.length,
            medianMsPerMutation: median(times),
            cpuMsPerMutation: (cpu.user + cpu.system) / 1000 / times.length,
            msPerRead,
            journalBytes: fs.statSync(journalPath(folder)).size,
        };
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

async function main(): Promise<void> {
    const program = new Command("bench-lab-mutation")
        .description("ms per lab mutation and per read at several fleet sizes")
        .option("--sizes <list>", "fleet sizes in VMs", (v) => v.split(",").map(Number), [10, 100, 1000])
        .option("--rounds <n>", "take+remove rounds per size", Number, 200)
        .parse();
    const o = program.opts<{ sizes: number[]; rounds: number }>();
    const results: LabMutationCost[] = [];
    for (const vms of o.sizes) results.push(await measureLabMutation(vms, o.rounds));
    const first = results[0] as LabMutationCost;
    process.stdout.write("VMs   | mutations | ms/mutation (mean) | ms/mutation (median) | CPU ms/mutation | ms/read | vs smallest (mean)\n");
    for (const r of results) {
        process.stdout.write(
            `${String(r.vms).padEnd(5)} | ${String(r.mutations).padEnd(9)} | ${r.msPerMutation.toFixed(3).padEnd(18)} | ${r.medianMsPerMutation.toFixed(3).padEnd(20)} | ${r.cpuMsPerMutation.toFixed(3).padEnd(15)} | ` +
                `${r.msPerRead.toFixed(3).padEnd(7)} | ${(r.msPerMutation / first.msPerMutation).toFixed(2)}\n`,
        );
    }
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
