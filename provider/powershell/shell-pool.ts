import { HostError } from "../host/errors";
import { Shell } from "./shell";
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
 * crash, stop on timeout, compensation, reconnect): a fault of one shell fails only the call it
 * was running. The pool runs whatever it is given: ordering calls on one VM is the caller's job.
 */
export class ShellPool implements Transport {
    readonly displayName: string;
    readonly maxShells: number;
    private readonly shells: Shell[] = [];
    /** Free shells, most recently used last: a warm shell is taken before a cold one. */
    private readonly idle: Shell[] = [];
    private readonly waiting: Waiter[] = [];
    private disposed = false;

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
            const shell = new Shell(this.target, this.displayName, this.env);
            this.shells.push(shell);
            return Promise.resolve(shell);
        }
        return new Promise((take, refuse) => this.waiting.push({ take, refuse, options }));
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
    }

    /** Synchronous kill for process exit, where nothing asynchronous runs any more. */
    killNow(): void {
        this.disposed = true;
        for (const shell of this.shells) shell.killNow();
    }
}
