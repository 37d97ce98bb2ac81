import type { ChildProcess } from "node:child_process";
import type { CommandOutcome, CommandShell } from "./command-shell";
import { RESULT_MARKER } from "./protocol";
import { killProcessTree } from "./process-tree";
import { shellHostLoop } from "./shell-host-loop";
import { spawnShell } from "./shell-spawn";

/** How much of the process's stderr is kept for messages. */
const STDERR_KEPT = 2000;

/** How long a stopped command may take to end before the whole process is killed. */
export const STOP_GRACE_MS = 2000;

const ANSWER = /(\d+|\*) ([hoxrew]) ([A-Za-z0-9+/=]*)$/;

/**
 * One PowerShell process that hosts several sessions, each a runspace (shell-host-loop.ts): the
 * runtime starts once for all of them instead of once per session. Each session is a
 * ShellChannel, which runs its commands like a process of its own would (shell-process.ts).
 *
 * A command that must be ended (a timeout) is stopped in its runspace; if it has not ended
 * STOP_GRACE_MS later (a cmdlet that does not yield), the whole process is killed with everything
 * it started, as a session's own process was: then every other command running in it ends as in a
 * killed shell (no answer: its outcome is unknown, and the session's recovery applies). A session
 * opened while a stop is pending waits for it, so that an undo never races what it undoes.
 */
export class ShellHost {
    private readonly child: ChildProcess;
    exited = false;
    spawnError: string | null = null;
    stderrTail = "";
    private readonly channels = new Map<string, ShellChannel>();
    private nextTag = 1;
    private buffered = "";
    private stopping: Promise<void>[] = [];
    private readonly exitListeners: (() => void)[] = [];
    private killed = false;

    constructor(
        readonly executable: string,
        env: NodeJS.ProcessEnv,
        providerPid: number = process.pid,
        private readonly platform: NodeJS.Platform = process.platform,
    ) {
        const loop = Buffer.from(shellHostLoop(providerPid), "utf16le").toString("base64");
        this.child = spawnShell(executable, ["-EncodedCommand", loop], env, platform, {
            stdout: (chunk) => this.onStdout(chunk),
            stderr: (chunk) => {
                this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEPT);
                // ssh's words reach the process's stderr, not a session's: every session running a command reads them.
                for (const channel of this.channels.values()) channel.onStderr(chunk);
            },
            failed: (message) => {
                this.spawnError = message;
                this.onExit();
            },
            exited: () => this.kill(),
            ended: () => this.onExit(),
        });
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    get exitStatus(): string {
        return String(this.child.exitCode ?? this.child.signalCode ?? "unknown");
    }

    /** Neither exited nor killed: new sessions may open in it. */
    get alive(): boolean {
        return !this.exited && !this.killed;
    }

    /** How many sessions are open in it. */
    get sessionCount(): number {
        return this.channels.size;
    }

    /** A new session, once every stop pending in the process has ended (or the process was killed). */
    async open(): Promise<ShellChannel> {
        while (this.stopping.length > 0) await Promise.all(this.stopping);
        const tag = String(this.nextTag++);
        const channel = new ShellChannel(this, tag);
        this.channels.set(tag, channel);
        this.send(`open ${tag}`);
        return channel;
    }

    onceExited(listener: () => void): void {
        if (this.exited) listener();
        else this.exitListeners.push(listener);
    }

    /** @internal */
    send(line: string): void {
        if (!this.exited) this.child.stdin?.write(`${line}\n`);
    }

    /** @internal Stops a channel's command; kills the process if it has not ended after the grace. */
    stopCommand(channel: ShellChannel, ended: Promise<void>): void {
        this.send(`stop ${channel.tag}`);
        const stopped = new Promise<void>((resolve) => {
            const grace = setTimeout(() => {
                this.kill();
                resolve();
            }, STOP_GRACE_MS);
            grace.unref();
            ended.then(() => {
                clearTimeout(grace);
                resolve();
            });
            this.onceExited(() => {
                clearTimeout(grace);
                resolve();
            });
        }).then(() => {
            this.stopping = this.stopping.filter((p) => p !== stopped);
            this.close(channel);
        });
        this.stopping.push(stopped);
    }

    /** @internal */
    close(channel: ShellChannel): void {
        if (this.channels.get(channel.tag) !== channel) return;
        this.channels.delete(channel.tag);
        this.send(`close ${channel.tag}`);
    }

    private onStdout(chunk: string): void {
        this.buffered += chunk;
        const lines = this.buffered.split("\n");
        this.buffered = lines.pop() ?? "";
        for (const line of lines) {
            const match = ANSWER.exec(line.replace(/\r$/, ""));
            if (!match) continue;
            if (match[1] === "*") this.onConsole(Buffer.from(match[3]!, "base64").toString("utf8"));
            else this.channels.get(match[1]!)?.onAnswer(match[2]!, match[3]!);
        }
    }

    /** A line PowerShell printed to the process's console (ssh's words): every session reads it, as the process's stderr. */
    private onConsole(line: string): void {
        for (const channel of this.channels.values()) channel.onStderr(`${line}\n`);
    }

    private onExit(): void {
        if (this.exited && this.exitListeners.length === 0 && this.channels.size === 0) return;
        this.exited = true;
        for (const channel of [...this.channels.values()]) channel.onExit();
        this.channels.clear();
        for (const listener of this.exitListeners.splice(0)) listener();
    }

    /** Kills the process and everything it started, at once (synchronous: usable at process exit). */
    kill(): void {
        if (this.killed) return;
        this.killed = true;
        killProcessTree(this.child, this.platform);
        this.child.stdin?.destroy();
    }
}

/** One session in a shared process: a runspace, driven like a process of its own (CommandShell). */
export class ShellChannel implements CommandShell {
    /** The process's watchdog is started with it (shell-host-loop.ts). */
    readonly watched = true;
    exited = false;
    stdoutSoFar = "";
    stderrSoFar = "";
    private pending: ((outcome: CommandOutcome) => void) | null = null;
    private ended: (() => void) | null = null;
    private readonly exitListeners: (() => void)[] = [];

    constructor(
        private readonly host: ShellHost,
        readonly tag: string,
    ) {}

    get spawnError(): string | null {
        return this.host.spawnError;
    }

    get stderrTail(): string {
        return this.host.stderrTail;
    }

    get busy(): boolean {
        return this.pending !== null;
    }

    get pid(): number | undefined {
        return this.host.pid;
    }

    get exitStatus(): string {
        return this.host.exited ? this.host.exitStatus : "stopped";
    }

    onceExited(listener: () => void): void {
        if (this.exited) listener();
        else this.exitListeners.push(listener);
    }

    run(command: string): Promise<CommandOutcome> {
        if (this.pending) throw new Error("a session runs one command at a time");
        this.stdoutSoFar = "";
        this.stderrSoFar = "";
        if (this.exited) return Promise.resolve({ exited: true, stdout: "" });
        return new Promise((settle) => {
            this.pending = settle;
            this.host.send(`run ${this.tag} ${Buffer.from(command, "utf8").toString("base64")}`);
        });
    }

    /** A command running is stopped (the process killed if it does not end in time); an idle session is closed. */
    stop(): void {
        if (this.exited) return;
        this.exited = true;
        if (this.pending) {
            const ended = new Promise<void>((resolve) => {
                this.ended = resolve;
            });
            this.host.stopCommand(this, ended);
        } else this.host.close(this);
        for (const listener of this.exitListeners.splice(0)) listener();
    }

    /** @internal */
    onAnswer(kind: string, base64: string): void {
        const text = Buffer.from(base64, "base64").toString("utf8");
        if (kind === "h" || kind === "o") this.stdoutSoFar += `${text}\n`;
        else if (kind === "x") this.onStderr(`${text}\n`);
        // The line the command itself would have printed (protocol.ts), so the session reads it as before.
        else if (kind === "r") this.stdoutSoFar += `${RESULT_MARKER}${Buffer.from(text, "utf8").toString("base64")}\n`;
        else if (kind === "e") {
            const settle = this.pending;
            this.pending = null;
            settle?.({ stdout: this.stdoutSoFar });
            this.ended?.();
            this.ended = null;
        }
    }

    /** @internal */
    onStderr(chunk: string): void {
        this.stderrSoFar = (this.stderrSoFar + chunk).slice(-STDERR_KEPT);
    }

    /** @internal The process exited: a command running gets no answer. */
    onExit(): void {
        this.exited = true;
        const settle = this.pending;
        this.pending = null;
        settle?.({ exited: true, stdout: this.stdoutSoFar });
        this.ended?.();
        this.ended = null;
        for (const listener of this.exitListeners.splice(0)) listener();
    }
}
