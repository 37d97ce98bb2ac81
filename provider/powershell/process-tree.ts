import { type ChildProcess, execFileSync } from "node:child_process";

/**
 * Stops a shell we spawned and every process it started, at once (synchronous: usable at process
 * exit). The `pwsh` we spawn is not always the shell: a .NET global tool's `pwsh` is a launcher
 * whose child `dotnet …/pwsh.dll` runs the commands, and for an SSH target that shell starts `ssh`,
 * which keeps the remote session alive. So:
 * - on Linux and macOS the shell is spawned as the leader of a process group of its own
 *   (`detached`), and this sends SIGKILL to the whole group: the launcher, the real shell and ssh
 *   (which PowerShell starts in the shell's group), even after the launcher died;
 * - on Windows, where a process group does not outlive its leader's console, `taskkill /T /F` ends
 *   the spawned process and every process it started, by parent id, while the spawned process
 *   runs (a real shell whose launcher already died ends itself: see watchdog.ts).
 */
export function killProcessTree(child: ChildProcess, platform: NodeJS.Platform): void {
    const pid = child.pid;
    if (pid === undefined) return;
    try {
        // On Windows only while the spawned process runs: afterwards its id may name another process.
        if (platform === "win32") {
            if (child.exitCode === null && child.signalCode === null)
                execFileSync("taskkill", ["/T", "/F", "/PID", String(pid)], { stdio: "ignore", windowsHide: true });
        }
        // The group outlives its leader: the real shell and ssh may still run after the launcher died.
        else process.kill(-pid, "SIGKILL");
    } catch {
        // Already gone (the group has no member left, or taskkill found no such process).
    }
}
