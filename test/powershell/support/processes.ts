import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";

/**
 * The processes a PowerShell shell is made of, read from /proc (Linux, where the real-shell suites
 * run). PowerShell installed as a .NET global tool starts as a launcher (`pwsh`) whose child
 * `dotnet …/pwsh.dll` runs the commands; installed as a plain executable, `pwsh` runs them itself.
 * Over SSH the shell starts `ssh`, and the host's sshd starts a remote PowerShell of either shape.
 */
export interface ProcessInfo {
    pid: number;
    ppid: number;
    argv: string[];
}

export function processTable(): ProcessInfo[] {
    return readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .flatMap((d) => {
            try {
                const stat = readFileSync(`/proc/${d}/stat`, "utf8");
                // The command may hold spaces and parentheses: the fields after the last ")" are fixed.
                const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
                const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").filter(Boolean);
                return argv.length === 0 ? [] : [{ pid: Number(d), ppid, argv }];
            } catch {
                return [];
            }
        });
}

/** The process `pid`, or undefined when it is gone. */
export function processInfo(pid: number): ProcessInfo | undefined {
    return processTable().find((p) => p.pid === pid);
}

/** Every process below `pid` (not itself). */
export function descendantsOf(pid: number, table = processTable()): ProcessInfo[] {
    const below = table.filter((p) => p.ppid === pid);
    return below.flatMap((p) => [p, ...descendantsOf(p.pid, table)]);
}

/** The processes whose environment holds `NAME=value`: what a shell started with that variable and its children. */
export function processesWith(variable: string, table = processTable()): ProcessInfo[] {
    return table.filter((p) => {
        try {
            return readFileSync(`/proc/${p.pid}/environ`, "utf8").split("\0").includes(variable);
        } catch {
            return false;
        }
    });
}

/** What a process is, for counting and for messages: "launcher pwsh", "dotnet pwsh.dll", "pwsh", "ssh", "sshd", …, with "remote " for -sshs shells. */
export function kindOf(p: ProcessInfo): string {
    const program = basename(p.argv[0] ?? "");
    const remote = p.argv.includes("-sshs") ? "remote " : "";
    if (program === "dotnet" && p.argv.some((a) => a.endsWith("pwsh.dll"))) return `${remote}dotnet pwsh.dll`;
    if (program === "pwsh") return `${remote}${isLauncher(p) ? "launcher pwsh" : "pwsh"}`;
    if (program.startsWith("sshd")) return "sshd";
    return program;
}

/** A .NET tool's `pwsh`: what it runs is a child `dotnet …/pwsh.dll`. */
export function isLauncher(p: ProcessInfo): boolean {
    return processTable().some((c) => c.ppid === p.pid && basename(c.argv[0] ?? "") === "dotnet" && c.argv.some((a) => a.endsWith("pwsh.dll")));
}

/** The kinds of `processes`, sorted, e.g. ["dotnet pwsh.dll", "launcher pwsh", "ssh"]. */
export function kinds(processes: ProcessInfo[]): string[] {
    return processes.map(kindOf).sort();
}

/** The launcher of the shell `pid` when it has one (its parent `pwsh`), else undefined. */
export function launcherOf(pid: number): ProcessInfo | undefined {
    const table = processTable();
    const shell = table.find((p) => p.pid === pid);
    const parent = shell && table.find((p) => p.pid === shell.ppid);
    return parent && basename(parent.argv[0] ?? "") === "pwsh" && basename(shell.argv[0] ?? "") === "dotnet" ? parent : undefined;
}

/** The process that runs the commands of the shell started as `launcherOrShell`: its `dotnet pwsh.dll` child, or itself. */
export function realShellOf(launcherOrShell: number): number {
    const child = processTable().find((c) => c.ppid === launcherOrShell && basename(c.argv[0] ?? "") === "dotnet");
    return child?.pid ?? launcherOrShell;
}

/** Waits until `list()` is empty; fails naming what is still running. */
export async function untilNoneLeft(list: () => ProcessInfo[], what: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
        const left = list();
        if (left.length === 0) return;
        if (Date.now() > deadline) throw new Error(`${what}: still running after ${ms / 1000} s: ${left.map((p) => `${kindOf(p)} (${p.pid})`).join(", ")}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}
