import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { CommandOutcome, CommandShell } from "./command-shell";
import { killProcessTree } from "./process-tree";
import { spawnShell } from "./shell-spawn";

/** How much of a shell's stderr is kept for messages. */
const STDERR_KEPT = 2000;

export type { CommandOutcome } from "./command-shell";

/**
 * One PowerShell process started as `-Command -`: each line written to stdin is a command. After a
 * command we write a line that prints a fresh delimiter; the command's output is what stdout
 * carried before it. Nothing is kept about a command once it ended (the session start carries
 * WinRM credentials), and nothing is logged.
 *
 * Stopping it stops everything it started. The `pwsh` we spawn is not always the shell: a .NET
 * global tool's `pwsh` is a launcher whose child `dotnet …/pwsh.dll` runs the commands, and for an
 * SSH target that shell starts `ssh`, which keeps the remote session alive. Killing the spawned
 * process alone would leave them running the command. So:
 * - on Linux and macOS the shell is spawned as the leader of a process group of its own
 *   (`detached`), and stopping sends SIGKILL to the whole group: the launcher, the real shell and
 *   ssh (which PowerShell starts in the shell's group), whether or not `pwsh` is a launcher, and
 *   even after the launcher died and left its child to init;
 * - on Windows, where a process group does not outlive its leader's console, `taskkill /T /F`
 *   ends the spawned process and every process it started, by parent id, while the spawned
 *   process runs (a real shell whose launcher already died ends itself: see watchdog.ts).
 * A provider that dies without stopping it (SIGKILL, a crash) is covered by the same watchdog,
 * which the session start leaves in the shell.
 */
export class ShellProcess implements CommandShell {
    private readonly child: ChildProcess;
    readonly watched = false;
    /** Set once the process exited or was stopped; no command runs after that. */
    exited = false;
    spawnError: string | null = null;
    /** The last of everything the process wrote to stderr. */
    stderrTail = "";
    /** What the command running now printed so far, on stdout and stderr: undo records and ssh's words are read from it. */
    stdoutSoFar = "";
    stderrSoFar = "";
    private pending: { delimiter: string; settle: (outcome: CommandOutcome) => void } | null = null;
    private readonly exitListeners: (() => void)[] = [];
    /** The group (tree) was sent its kill: once is enough. */
    private stopped = false;

    constructor(
        readonly executable: string,
        env: NodeJS.ProcessEnv,
        private readonly platform: NodeJS.Platform = process.platform,
    ) {
        this.child = spawnShell(executable, ["-NoExit", "-Command", "-"], env, platform, {
            stdout: (chunk) => this.onStdout(chunk),
            stderr: (chunk) => {
                this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEPT);
                this.stderrSoFar = (this.stderrSoFar + chunk).slice(-STDERR_KEPT);
            },
            failed: (message) => {
                this.spawnError = message;
                this.onExit();
            },
            // A launcher that exited may leave the real shell running the command: stop what is left.
            exited: () => this.stopGroup(),
            ended: () => this.onExit(),
        });
    }

    /** A command is running: nothing else may be written until it ends. */
    get busy(): boolean {
        return this.pending !== null;
    }

    /** The spawned process's id (benchmarks read its CPU from it); undefined when it could not start. */
    get pid(): number | undefined {
        return this.child.pid;
    }

    /** The exit code or signal, for messages. */
    get exitStatus(): string {
        return String(this.child.exitCode ?? this.child.signalCode ?? "unknown");
    }

    /** Calls `listener` once when the process has exited (at once if it already has). */
    onceExited(listener: () => void): void {
        if (this.exited) listener();
        else this.exitListeners.push(listener);
    }

    /** Writes one command line and resolves with what it printed, or with the process's exit. */
    run(command: string): Promise<CommandOutcome> {
        if (this.pending) throw new Error("a shell process runs one command at a time");
        this.stdoutSoFar = "";
        this.stderrSoFar = "";
        if (this.exited) return Promise.resolve({ exited: true, stdout: "" });
        const delimiter = randomBytes(12).toString("hex");
        return new Promise((settle) => {
            this.pending = { delimiter, settle };
            this.child.stdin?.write(`${command}\n[Console]::Out.WriteLine("${delimiter}")\n`);
        });
    }

    private onStdout(chunk: string): void {
        this.stdoutSoFar += chunk;
        const pending = this.pending;
        if (!pending) return;
        const end = this.stdoutSoFar.indexOf(pending.delimiter);
        if (end < 0) return;
        this.pending = null;
        pending.settle({ stdout: this.stdoutSoFar.slice(0, end) });
    }

    private onExit(): void {
        if (this.exited && !this.pending && this.exitListeners.length === 0) return;
        this.exited = true;
        const pending = this.pending;
        this.pending = null;
        pending?.settle({ exited: true, stdout: this.stdoutSoFar });
        for (const listener of this.exitListeners.splice(0)) listener();
    }

    /** Stops the process and every process it started, at once (synchronous: usable at process exit). */
    stop(): void {
        if (this.stopped) return;
        this.exited = true;
        this.stopGroup();
        this.child.stdin?.destroy();
    }

    private stopGroup(): void {
        if (this.stopped) return;
        this.stopped = true;
        killProcessTree(this.child, this.platform);
    }
}
