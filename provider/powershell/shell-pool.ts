import { HostError } from "../host/errors";
import type { CommandShell } from "./command-shell";
import { Shell } from "./shell";
import { ShellHost } from "./shell-host";
import { describeTarget, type PowerShellTarget } from "./target";
import type { InvocationOptions, Transport } from "./transport";

interface Waiter {
    take: (shell: Shell) => void;
    refuse: (error: Error) => void;
    options: InvocationOptions;
}

/**
 * The shells of one target, side by side: up to `target.maxSessions`, each running one call at a
 * time. A shell is started only when every shell is busy and the pool is below its maximum, and
 * is reused afterwards; a call that finds every shell busy at the maximum waits for the first one
 * to come free (first come, first served). Each shell keeps its own guarantees (restart after a
 * crash, stop on timeout, compensation, reconnect). The pool runs whatever it is given: ordering
 * calls on one VM is the caller's job.
 *
 * Every shell of the pool is a session (a runspace) in ONE PowerShell process (shell-host.ts), so
 * the runtime starts once per target per provider process, not once per session. A call stopped
 * at its timeout ends alone when PowerShell can stop it; when it cannot within a short grace, the
 * process is killed, and the calls running in the pool's other shells end as in a killed shell
 * (their outcome unknown: the shells' recovery applies). The next call starts a new process.
 */
export class ShellPool implements Transport {
    readonly displayName: string;
    readonly maxShells: number;
    private readonly shells: Shell[] = [];
    /** Free shells, most recently used last: a warm shell is taken before a cold one. */
    private readonly idle: Shell[] = [];
    private readonly waiting: Waiter[] = [];
    private disposed = false;
    /** The process the shells run in; replaced when it exited or was killed. */
    private host: ShellHost | null = null;

    constructor(
        readonly target: PowerShellTarget,
        private readonly env: NodeJS.ProcessEnv = process.env,
    ) {
        this.displayName = describeTarget(target);
        this.maxShells = target.maxSessions;
    }

    get isDisposed(): boolean {
        return this.disposed;
    }

    async invoke(script: string, options: InvocationOptions): Promise<string> {
        const shell = await this.acquire(options);
        try {
            return await shell.invoke(script, options);
        } finally {
            this.release(shell);
        }
    }

    private acquire(options: InvocationOptions): Promise<Shell> {
        if (this.disposed) return Promise.reject(this.disposedError(options));
        const free = this.idle.pop();
        if (free) return Promise.resolve(free);
        if (this.shells.length < this.maxShells) {
            const shell = new Shell(this.target, this.displayName, this.env, (executable) => this.openShell(executable));
            this.shells.push(shell);
            return Promise.resolve(shell);
        }
        return new Promise((take, refuse) => this.waiting.push({ take, refuse, options }));
    }

    /** A session in the pool's process, started when there is none (or it was killed). */
    private async openShell(executable: string): Promise<CommandShell> {
        for (;;) {
            if (!this.host?.alive) this.host = new ShellHost(executable, this.env);
            const host = this.host;
            const channel = await host.open();
            // A stop pending in it may have ended in a kill while the session waited to open.
            if (host.alive) return channel;
        }
    }

    /** The pool's process id, while it has one (tests and benchmarks count processes). */
    get processId(): number | undefined {
        return this.host?.alive ? this.host.pid : undefined;
    }

    private release(shell: Shell): void {
        const next = this.waiting.shift();
        if (next) next.take(shell);
        else this.idle.push(shell);
    }

    private disposedError(options: InvocationOptions): HostError {
        return new HostError("HostUnreachable", `the PowerShell session was disposed before ${options.operation}`, {
            ...options.subject,
            host: this.displayName,
            operation: options.operation,
        });
    }

    /** Closes every shell (and its remote session); calls still waiting for a shell fail. */
    async dispose(): Promise<void> {
        if (this.disposed) return;
        this.disposed = true;
        for (const waiter of this.waiting.splice(0)) waiter.refuse(this.disposedError(waiter.options));
        await Promise.allSettled(this.shells.map((shell) => shell.dispose()));
        this.host?.kill();
    }

    /** Synchronous kill for process exit, where nothing asynchronous runs any more. */
    killNow(): void {
        this.disposed = true;
        for (const shell of this.shells) shell.killNow();
        this.host?.kill();
    }
}
