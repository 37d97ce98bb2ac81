import { HostError } from "../host/errors";
import { excerpt } from "./errors";
import {
    extractResult,
    extractUndo,
    frameCall,
    frameModuleLoad,
    frameScript,
    frameSessionEnd,
    moduleMissing,
    type RemoteProcess,
    remoteProcessIn,
    STARTED_MARKER,
} from "./protocol";
import { remoteFailure, safeJson, sshSaid } from "./remote-failure";
import { runCommand, ShellCrashed, ShellTimedOut } from "./shell-command";
import type { CommandShell, OpenShell } from "./command-shell";
import { startShell } from "./shell-start";
import { endpointMode, type PowerShellTarget } from "./target";
import type { FunctionCall, InvocationOptions } from "./transport";

/** What one invocation already did again: each recovery happens at most once per call. */
interface Retried {
    /** Ran again after a remote connection was lost. */
    connection?: boolean;
    /** Ran again after the module was loaded anew. */
    module?: boolean;
}

/**
 * One long-lived shell for one target: started on first use, reused, restarted once when it
 * crashes (reads only are re-run), stopped on timeout (the next call starts a fresh one), stopped
 * on process exit. It runs one invocation at a time: its pool (shell-pool.ts) hands it a call only
 * when it is free. An uploaded endpoint's module is loaded once per started shell (see protocol.ts).
 */
export class Shell {
    private running: CommandShell | null = null;
    private starting: Promise<CommandShell> | null = null;
    private disposed = false;
    /** Remote PowerShell processes that a stopped shell or a lost connection may have left running: the next invocation ends them. */
    private leftBehind: RemoteProcess[] = [];

    constructor(
        readonly target: PowerShellTarget,
        private readonly displayName: string,
        private readonly env: NodeJS.ProcessEnv = process.env,
        /** Where its commands run; by default a process of its own. */
        private readonly open?: OpenShell,
    ) {}

    private get remote(): boolean {
        return this.target.kind !== "local";
    }

    /** Runs one script; the caller never gives a shell a second call before the first settled. */
    async invoke(script: string, options: InvocationOptions): Promise<string> {
        if (this.disposed) throw this.error("HostUnreachable", `the PowerShell session was disposed before ${options.operation}`, options);
        try {
            return await this.invokeOnce(script, options);
        } catch (e) {
            if (!(e instanceof ShellCrashed)) throw e;
            if (!options.readOnly) {
                throw this.error(
                    "HostUnreachable",
                    `the PowerShell process exited during ${options.operation} (${e.message}); it may or may not have completed on the host. ` +
                        (e.undone ? `${e.undone}. ` : "") +
                        "Check the VM before retrying: `pulumi refresh` updates what the stack knows, but a checkpoint taken by an interrupted create is not in the stack (adopt it by id with adoptId, or remove it)",
                    options,
                );
            }
            try {
                return await this.invokeOnce(script, options);
            } catch (again) {
                if (!(again instanceof ShellCrashed)) throw again;
                throw this.error(
                    "HostUnreachable",
                    `the PowerShell process exited during ${options.operation}, and again after a restart (${again.message})`,
                    options,
                );
            }
        }
    }

    private async invokeOnce(script: string, options: InvocationOptions, retried: Retried = {}): Promise<string> {
        const shell = await this.ensureStarted(options);
        const timeoutMs = options.timeoutMs ?? this.target.timeouts.operationSeconds * 1000;
        let stdout: string;
        try {
            stdout = await this.runScript(shell, script, timeoutMs, options.call);
        } catch (e) {
            if (!(e instanceof ShellTimedOut) && !(e instanceof ShellCrashed)) throw e;
            this.forget(shell);
            const undone = await this.compensate(extractUndo(shell.stdoutSoFar), options);
            if (e instanceof ShellCrashed) throw new ShellCrashed(e.message, undone);
            const still = options.readOnly ? "" : `. It may still complete on the host: check the VM (\`pulumi refresh\`) before retrying`;
            throw this.error(
                "HostTimeout",
                `${options.operation} did not finish within ${Math.round(timeoutMs / 1000)} s; the shell was stopped${undone ? `. ${undone}` : ""}${still}`,
                options,
            );
        }
        const result = extractResult(stdout);
        if (result === null) {
            throw this.error(
                "UnexpectedOutput",
                `the shell printed no result for ${options.operation}. Output: ${excerpt(stdout) || "(none)"}; errors: ${excerpt(shell.stderrTail) || "(none)"}`,
                options,
            );
        }
        if (options.call && endpointMode(this.target) === "uploaded" && moduleMissing(result)) {
            // Nothing ran: load the module where the functions run and call again, once.
            if (retried.module)
                throw this.error(
                    "UnexpectedOutput",
                    `the shell lost the provider's PowerShell module again right after loading it, during ${options.operation}`,
                    options,
                );
            await this.loadModule(shell, options);
            return this.invokeOnce(script, options, { ...retried, module: true });
        }
        if (!this.remote) return result;
        const failure = remoteFailure(result);
        if (!failure) return result;
        const said = sshSaid(shell);
        if (failure.connectionLost) {
            // Not started: the script never reached the host, so running it again is safe even for
            // a change. Started: only a read may run again; a change may have happened.
            const started = shell.stdoutSoFar.includes(STARTED_MARKER);
            if (!retried.connection && (!started || options.readOnly)) return this.invokeOnce(script, options, { ...retried, connection: true });
            if (!started)
                throw this.error("HostUnreachable", `the connection to the host was lost before ${options.operation} could start, twice${said}`, options);
            const undone = await this.compensate(extractUndo(shell.stdoutSoFar), options);
            throw this.error(
                "HostUnreachable",
                `the connection to the host was lost during ${options.operation}${said}; it may or may not have completed on the host${undone ? `. ${undone}` : ""}. Check the VM (\`pulumi refresh\`) before retrying`,
                options,
            );
        }
        return said ? JSON.stringify({ error: { ...failure.error, message: `${failure.error.message}${said}` } }) : result;
    }

    /**
     * Runs one operation script. A remote script that is cut off (timeout, crash, lost connection)
     * may leave its remote PowerShell running: it is remembered, and ended before the next one.
     */
    private async runScript(shell: CommandShell, script: string, timeoutMs: number, call?: FunctionCall): Promise<string> {
        const ending = this.leftBehind;
        let stdout: string | null = null;
        try {
            stdout = await runCommand(shell, this.frame(script, call, ending), timeoutMs);
            this.leftBehind = this.leftBehind.filter((p) => !ending.includes(p));
            return stdout;
        } finally {
            const answer = stdout === null ? null : remoteFailure(extractResult(stdout) ?? "");
            const cut = stdout === null || answer?.connectionLost === true;
            const remoteShell = this.remote && cut ? remoteProcessIn(shell.stdoutSoFar) : null;
            if (remoteShell) this.leftBehind.push(remoteShell);
        }
    }

    /**
     * Every operation is the module's function by name with its payload, in every mode (README "Least
     * privilege"); script text without one only reaches an uploaded endpoint, never an installed one.
     */
    private frame(script: string, call: FunctionCall | undefined, leftBehind: readonly RemoteProcess[]): string {
        if (call) return frameCall(call, this.remote, leftBehind);
        if (endpointMode(this.target) === "installed")
            throw new Error("an installed endpoint runs only the module's functions, and this invocation names none");
        return frameScript(script, this.remote, leftBehind);
    }

    /** Loads the module again in a shell (or its remote session) that lost it. */
    private async loadModule(shell: CommandShell, options: InvocationOptions): Promise<void> {
        const stdout = await runCommand(shell, frameModuleLoad(this.remote), this.target.timeouts.connectSeconds * 1000);
        const answer = safeJson(extractResult(stdout) ?? "") as { ok?: unknown; error?: { message?: unknown } } | null;
        if (answer?.ok === true) return;
        const why = typeof answer?.error?.message === "string" ? answer.error.message : `no answer (${excerpt(stdout) || "no output"})`;
        throw this.error("UnexpectedOutput", `the provider's PowerShell module could not be loaded in the shell for ${options.operation}: ${why}`, options);
    }

    /**
     * After a script was cut off (timeout, crash, lost connection): if it had announced an undo
     * record, runs the operation's compensation, on a fresh shell when the old one is gone, after
     * the remote shell that ran the script was ended. Returns what the user should read about it, or null.
     */
    private async compensate(record: unknown, options: InvocationOptions): Promise<string | null> {
        if (record === null || !options.compensate) return null;
        const compensation = options.compensate(record);
        const undo: InvocationOptions = { operation: `undo of an interrupted ${options.operation}`, readOnly: false };
        try {
            const shell = await this.ensureStarted(undo);
            const stdout = await this.runScript(shell, compensation.script, this.target.timeouts.operationSeconds * 1000, compensation.call);
            const answer = safeJson(extractResult(stdout) ?? "") as { ok?: unknown; error?: { message?: string } } | null;
            if (answer && "ok" in answer) return compensation.done;
            return compensation.failed(answer?.error?.message ?? `no answer (${excerpt(stdout) || "no output"})`);
        } catch (e) {
            return compensation.failed(e instanceof ShellTimedOut ? "it did not finish in time either" : e instanceof Error ? e.message : String(e));
        }
    }

    private ensureStarted(options: InvocationOptions): Promise<CommandShell> {
        if (this.running && !this.running.exited) return Promise.resolve(this.running);
        // A read cut off by dispose would otherwise restart the shell nobody stops any more.
        if (this.disposed) return Promise.reject(this.error("HostUnreachable", `the PowerShell session was disposed during ${options.operation}`, options));
        this.starting ??= startShell(this.target, this.displayName, this.env, options, this.open)
            .then((shell) => {
                this.running = shell;
                return shell;
            })
            .finally(() => {
                this.starting = null;
            });
        return this.starting;
    }

    private forget(shell: CommandShell): void {
        if (this.running === shell) this.running = null;
    }

    private error(code: "HostUnreachable" | "HostTimeout" | "UnexpectedOutput", detail: string, options: InvocationOptions): HostError {
        return new HostError(code, detail, { ...options.subject, host: this.displayName, operation: options.operation });
    }

    /** Closes the remote session and stops the shell with everything it started; pending invocations fail. */
    async dispose(): Promise<void> {
        if (this.disposed) return;
        this.disposed = true;
        const shell = this.running;
        this.running = null;
        if (!shell) return;
        if (this.remote && !shell.exited) {
            const closed = new Promise<void>((r) => shell.onceExited(r));
            // Only when it is idle: a busy shell would read the line after its command, too late.
            if (!shell.busy) await Promise.race([shell.run(frameSessionEnd), closed, new Promise((r) => setTimeout(r, 5000).unref())]);
        }
        shell.stop();
    }

    /** Synchronous stop for process exit, where nothing asynchronous runs any more. */
    killNow(): void {
        this.disposed = true;
        this.running?.stop();
        this.running = null;
    }
}
