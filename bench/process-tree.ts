import * as fs from "node:fs";

/*
 * Peak memory and CPU of the processes this one starts (the engine, the language host, the
 * program, the dynamic provider), sampled from /proc: the sum of their resident sets at each
 * sample, and each process's CPU time as last seen.
 */

const TICKS_PER_SECOND = 100;

interface ProcSample {
    ppid: number;
    rssKb: number;
    cpuSeconds: number;
    command: string;
}

function sample(pid: number): ProcSample | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // The command name is in parentheses and may hold spaces: fields start after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ppid = Number(fields[1]);
        const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
        const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
        return { ppid, rssKb, cpuSeconds, command };
    } catch {
        return undefined; // the process exited between listing and reading
    }
}

function descendantsOf(root: number): Map<number, ProcSample> {
    const all = new Map<number, ProcSample>();
    for (const name of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        const s = sample(Number(name));
        if (s) all.set(Number(name), s);
    }
    const found = new Map<number, ProcSample>();
    let frontier = [root];
    while (frontier.length > 0) {
        const next: number[] = [];
        for (const [pid, s] of all)
            if (frontier.includes(s.ppid) && !found.has(pid)) {
                found.set(pid, s);
                next.push(pid);
            }
        frontier = next;
    }
    return found;
}

export interface TreeUsage {
    /** Highest sum of resident memory of all descendant processes at one sample, in MB. */
    peakRssMb: number;
    /** CPU seconds of the dynamic provider process(es), as last sampled. */
    providerCpuSeconds: number;
    /** CPU seconds of all descendants, as last sampled. */
    totalCpuSeconds: number;
    /** The same CPU seconds by what each process is: engine, program, provider, shell (PowerShell), other. */
    cpuByRole: Record<ProcessRole, number>;
    /** PowerShell shells started (a .NET tool's launcher and the `dotnet pwsh.dll` it starts count as one). */
    shellsStarted: number;
}

export type ProcessRole = "engine" | "program" | "provider" | "shell" | "other";

function roleOf(command: string): ProcessRole {
    if (command.includes("dynamic-provider")) return "provider";
    if (command.includes("cmd/run")) return "program";
    if (/(^|\/)pwsh(\s|$)|pwsh\.dll/.test(command)) return "shell";
    if (/(^|\/)pulumi(\s|$)/.test(command)) return "engine";
    return "other";
}

/** Samples this process's descendants every `intervalMs` until stopped. */
export function watchProcessTree(intervalMs = 100): { stop(): TreeUsage } {
    let peakKb = 0;
    const cpu = new Map<number, { seconds: number; role: ProcessRole; ppid: number }>();
    const tick = () => {
        let sum = 0;
        for (const [pid, s] of descendantsOf(process.pid)) {
            sum += s.rssKb;
            // A child shows its parent's command line until it execs: keep the role it had once it did.
            const seen = roleOf(s.command);
            cpu.set(pid, { seconds: s.cpuSeconds, role: seen === "other" ? (cpu.get(pid)?.role ?? seen) : seen, ppid: s.ppid });
        }
        peakKb = Math.max(peakKb, sum);
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            tick();
            const all = [...cpu.values()];
            const cpuByRole: Record<ProcessRole, number> = { engine: 0, program: 0, provider: 0, shell: 0, other: 0 };
            for (const c of all) cpuByRole[c.role] += c.seconds;
            for (const role of Object.keys(cpuByRole) as ProcessRole[]) cpuByRole[role] = round(cpuByRole[role]);
            const shellsStarted = [...cpu.values()].filter((c) => c.role === "shell" && cpu.get(c.ppid)?.role !== "shell").length;
            return {
                shellsStarted,
                peakRssMb: Math.round(peakKb / 1024),
                providerCpuSeconds: cpuByRole.provider,
                totalCpuSeconds: round(all.reduce((a, c) => a + c.seconds, 0)),
                cpuByRole,
            };
        },
    };
}

function round(x: number): number {
    return Math.round(x * 100) / 100;
}
