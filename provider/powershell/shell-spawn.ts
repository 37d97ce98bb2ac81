import { type ChildProcess, spawn } from "node:child_process";
import { shellRuntimeEnv } from "./shell-runtime";

/** What a spawned PowerShell process reports to its owner (ShellProcess, ShellHost). */
export interface ShellEvents {
    stdout(chunk: string): void;
    stderr(chunk: string): void;
    /** It could not start (the executable is missing, not runnable). */
    failed(message: string): void;
    /** The spawned process exited; what it printed last may still be in the pipe. */
    exited(): void;
    /** Its output is all read (or half a second after it exited): settle what is left. */
    ended(): void;
}

/**
 * Spawns `pwsh` (or `powershell.exe`) as the provider drives it: no logo, no profile, never
 * interactive, with our .NET runtime settings (./shell-runtime.ts); on Linux and macOS as the
 * leader of a process group of its own, so that stopping it stops everything it started
 * (./shell-process.ts explains why).
 */
export function spawnShell(executable: string, args: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform, on: ShellEvents): ChildProcess {
    const child = spawn(executable, ["-NoLogo", "-NoProfile", "-NonInteractive", ...args], {
        env: shellRuntimeEnv(env),
        stdio: "pipe",
        detached: platform !== "win32",
        windowsHide: true,
    });
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdin?.on("error", () => undefined);
    child.stdout?.on("data", (chunk: string) => on.stdout(chunk));
    child.stderr?.on("data", (chunk: string) => on.stderr(chunk));
    child.once("error", (e) => on.failed(e.message));
    child.once("exit", () => {
        on.exited();
        const settle = setTimeout(() => on.ended(), 500);
        child.stdout?.once("close", () => {
            clearTimeout(settle);
            on.ended();
        });
    });
    return child;
}
