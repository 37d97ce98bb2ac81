import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addVm, initLab } from "../provider/lab";
import { createPowerShellHost } from "../provider/powershell";
import { standInModulePath } from "../test/powershell/stand-in/modules";
import { StandInServer } from "../test/powershell/stand-in/server";
import { findPwsh } from "../test/powershell/support/real-shells";

/*
 * What a pool of real PowerShell shells costs and buys on this machine, against the Hyper-V
 * stand-in (the lab behind a loopback server): for each pool size, the wall time of reads one
 * after another (the round trip's own cost), of a burst of reads of different VMs whose Get-VM
 * waits as Hyper-V would (the cmdlet stalled on the stand-in), and the memory of the shells.
 *
 *   node dist/bench/pool-sizes.js [sizes=1,2,4,8] [burst=16] [stallMs=500] [sequential=50]
 */

const [sizesArg = "1,2,4,8", burstArg = "16", stallArg = "500", sequentialArg = "50"] = process.argv.slice(2);
const sizes = sizesArg.split(",").map(Number);
const burst = Number(burstArg);
const stallMs = Number(stallArg);
const sequential = Number(sequentialArg);

/**
 * Resident memory (MB) of the processes started as `shell` and their children: a `dotnet tool`
 * pwsh is a small launcher whose child runs PowerShell.
 */
function shellMemoryMb(shell: string): number {
    const processes = readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .flatMap((pid) => {
            try {
                const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
                return [
                    {
                        pid,
                        parent: stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]!,
                        command: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0],
                        kb: Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0),
                    },
                ];
            } catch {
                // The process ended while we read it.
                return [];
            }
        });
    const ours = new Set(processes.filter((p) => p.command === shell).map((p) => p.pid));
    for (let grew = true; grew; ) {
        grew = false;
        for (const p of processes) {
            if (!ours.has(p.pid) && ours.has(p.parent)) {
                ours.add(p.pid);
                grew = true;
            }
        }
    }
    return Math.round(processes.filter((p) => ours.has(p.pid)).reduce((sum, p) => sum + p.kb, 0) / 1024);
}

async function measure(pwsh: string, server: StandInServer, env: NodeJS.ProcessEnv, maxSessions: number, vmIds: string[]) {
    // A shell path of its own: a pool of its own, and its processes found by path.
    const dir = mkdtempSync(join(tmpdir(), "hvcp-bench-pwsh-"));
    const shell = join(dir, "pwsh");
    symlinkSync(pwsh, shell);
    const timeouts = { operationSeconds: 600, removalSeconds: 600, connectSeconds: 120 };
    const host = createPowerShellHost({ kind: "local", shell, timeouts, maxSessions }, { env });
    try {
        const warm = Date.now();
        await Promise.all(
            vmIds.slice(0, maxSessions).map(async (id, i) => {
                // Starting the shells is measured on its own: stagger so that each call finds the others busy.
                await new Promise((r) => setTimeout(r, i * 10));
                await host.getVm({ id });
            }),
        );
        const startMs = Date.now() - warm;
        let started = Date.now();
        for (let i = 0; i < sequential; i++) await host.getVm({ id: vmIds[i % vmIds.length]! });
        const sequentialMs = Date.now() - started;
        server.inject({ cmdlet: "Get-VM", stallMs });
        started = Date.now();
        await Promise.all(vmIds.slice(0, burst).map((id) => host.getVm({ id })));
        const burstMs = Date.now() - started;
        server.clearFaults();
        return { maxSessions, startMs, sequentialMs, burstMs, memoryMb: shellMemoryMb(shell) };
    } finally {
        await host.dispose();
        rmSync(dir, { recursive: true, force: true });
    }
}

async function main(): Promise<void> {
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("PowerShell 7 is needed: bash scripts/ensure-powershell.sh");
    const lab = mkdtempSync(join(tmpdir(), "hvcp-bench-lab-"));
    await initLab(lab);
    const vmIds: string[] = [];
    for (let i = 0; i < burst; i++) vmIds.push((await addVm(lab, { name: `vm${i}`, state: "Running" })).id);
    const server = new StandInServer();
    await server.start();
    server.lab = lab;
    const env = { ...process.env, HYPERV_STANDIN_URL: server.url, PSModulePath: standInModulePath(pwsh) };
    console.log(`burst: ${burst} reads of different VMs, Get-VM stalled ${stallMs} ms each; sequential: ${sequential} reads`);
    console.log("maxSessions  start shells (ms)  sequential (ms/read)  burst (ms)  ideal burst (ms)  shells' memory (MB)");
    try {
        for (const size of sizes) {
            const m = await measure(pwsh, server, env, size, vmIds);
            const ideal = Math.ceil(burst / size) * stallMs;
            console.log(
                [m.maxSessions, m.startMs, (m.sequentialMs / sequential).toFixed(1), m.burstMs, ideal, m.memoryMb]
                    .map((v, i) => String(v).padStart(i === 0 ? 11 : 16))
                    .join("  "),
            );
        }
    } finally {
        await server.stop();
        rmSync(lab, { recursive: true, force: true });
    }
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
