import type { ChildProcess } from "node:child_process";
import type { PowerShell } from "node-powershell";
import { HostError } from "../host/errors";
import { errorFromRecord, errorRecordSchema, HyperVErrorRecord } from "./error-records";
import { extractResult, extractUndo, frameInvocation, framePreludeDefinition, frameSessionEnd, frameSessionStart, STARTED_MARKER } from "./protocol";
import { PRELUDE_MISSING_ANSWER } from "./scripts/render";
import { retainedCommands, silence } from "./quiet-shell";
import { shellProbeSchema, shellRefusal } from "./shell-compatibility";
import { ChosenPowerShell, resolveShellExecutable } from "./shell-executable";
import { remoteConnectParameters, type PowerShellTarget } from "./target";
import type { InvocationOptions } from "./transport";

/**
 * node-powershell 5.0.1 keeps the child process and its exit promise private. We need the first to
 * tell a crash from a quiet command and the second to keep a failed spawn (ENOENT) from becoming an
 * unhandled rejection before the first command is written.
 */
interface ShellInternals {
    process: ChildProcess;
    exitPromise: Promise<void>;
}

interface RunningShell {
    shell: PowerShell;
    process: ChildProcess;
    exited: boolean;
    stderrTail: string;
    /** stdout of the command running now, as it arrives: undo records are read from it. */
    stdoutSoFar: string;
    /** stderr of the command running now: ssh writes its reasons there. */
    stderrSoFar: string;
}

class ShellCrashed extends Error {
    constructor(
        message: string,
        readonly undone: string | null = null,
    ) {
        super(message);
    }
}

class ShellTimedOut extends Error {}

/** What one invocation already did again: each recovery happens at most once per call. */
interface Retried {
    /** Ran again after a remote connection was lost. */
    connection?: boolean;
    /** Ran again after the prelude was defined anew. */
    prelude?: boolean;
}

const EXCERPT = 2000;

function excerpt(text: string): string {
    const t = text.trim();
    return t.length <= EXCERPT ? t : `${t.slice(0, EXCERPT)}… (${t.length} characters)`;
}

/**
 * One long-lived shell for one target: started on first use, reused, restarted once when it
 * crashes (reads only are re-run), killed on timeout (the next call starts a fresh one), disposed
 * on process exit. It runs one invocation at a time: its pool (shell-pool.ts) hands it a call only
 * when it is free. The prelude is defined once per started shell (see protocol.ts).
 */
export class Shell {
    private running: RunningShell | null = null;
    private starting: Promise<RunningShell> | null = null;
    private disposed = false;
    /** How many processes this shell slot started, restarts included (tests assert on it). */
    startCount = 0;

    /** The command texts the running shell's library still holds (tests assert there are none). */
    retainedCommandTexts(): string[] {
        return this.running ? retainedCommands(this.running.shell) : [];
    }

    constructor(
        readonly target: PowerShellTarget,
        private readonly displayName: string,
        private readonly env: NodeJS.ProcessEnv = process.env,
    ) {}

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
            stdout = await this.run(shell, frameInvocation(script, this.target.kind !== "local"), timeoutMs);
        } catch (e) {
            if (!(e instanceof ShellTimedOut) && !(e instanceof ShellCrashed)) throw e;
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
        if (result === PRELUDE_MISSING_ANSWER) {
            // The script did nothing: define the prelude where it runs and run it again, once.
            if (retried.prelude)
                throw this.error(
                    "UnexpectedOutput",
                    `the shell lost the provider's PowerShell helpers again right after defining them, during ${options.operation}`,
                    options,
                );
            await this.definePrelude(shell, options);
            return this.invokeOnce(script, options, { ...retried, prelude: true });
        }
        if (this.target.kind === "local") return result;
        const failure = remoteFailure(result);
        if (!failure) return result;
        const said = sshSaid(shell);
        if (failure.connectionLost) {
            // Not started: the script never reached the host, so running it again is safe even for
            // a change. Started: only a read may run again; a change may have happened.
            const started = shell.stdoutSoFar.includes(STARTED_MARKER);
            if (!retried.connection && (!started || options.readOnly)) return this.invokeOnce(script, options, { ...retried, connection: true });
            throw this.error(
                "HostUnreachable",
                started
                    ? `the connection to the host was lost during ${options.operation}${said}; it may or may not have completed on the host. Check the VM (\`pulumi refresh\`) before retrying`
                    : `the connection to the host was lost before ${options.operation} could start, twice${said}`,
                options,
            );
        }
        // ssh's own words (connection refused, host key, permission) reach us on the shell's streams, not in the error record.
        return said ? JSON.stringify({ error: { ...failure.error, message: `${failure.error.message}${said}` } }) : result;
    }

    /** Defines the prelude again in a shell (or its remote session) that lacks this version of it. */
    private async definePrelude(shell: RunningShell, options: InvocationOptions): Promise<void> {
        const stdout = await this.run(shell, framePreludeDefinition(this.target.kind !== "local"), this.target.timeouts.connectSeconds * 1000);
        const answer = safeJson(extractResult(stdout) ?? "") as { ok?: unknown; error?: { message?: unknown } } | null;
        if (answer?.ok === true) return;
        const why = typeof answer?.error?.message === "string" ? answer.error.message : `no answer (${excerpt(stdout) || "no output"})`;
        throw this.error("UnexpectedOutput", `the provider's PowerShell helpers could not be defined in the shell for ${options.operation}: ${why}`, options);
    }

    /**
     * After a script was cut off: if it had announced an undo record, runs the operation's
     * compensation on a fresh shell. Returns what the user should read about it, or null.
     */
    private async compensate(record: unknown, options: InvocationOptions): Promise<string | null> {
        if (record === null || !options.compensate) return null;
        const compensation = options.compensate(record);
        const undo: InvocationOptions = { operation: `undo of an interrupted ${options.operation}`, readOnly: false };
        try {
            const shell = await this.ensureStarted(undo);
            const stdout = await this.run(
                shell,
                frameInvocation(compensation.script, this.target.kind !== "local"),
                this.target.timeouts.operationSeconds * 1000,
            );
            const answer = safeJson(extractResult(stdout) ?? "") as { ok?: unknown; error?: { message?: string } } | null;
            if (answer && "ok" in answer) return compensation.done;
            return compensation.failed(answer?.error?.message ?? `no answer (${excerpt(stdout) || "no output"})`);
        } catch (e) {
            return compensation.failed(e instanceof ShellTimedOut ? "it did not finish in time either" : e instanceof Error ? e.message : String(e));
        }
    }

    /** Writes one command; resolves with its stdout, or throws ShellCrashed / ShellTimedOut. */
    private async run(shell: RunningShell, command: string, timeoutMs: number): Promise<string> {
        shell.stdoutSoFar = "";
        shell.stderrSoFar = "";
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), timeoutMs);
        });
        const invocation = shell.shell.invoke(command).then(
            (r) => ({ stdout: r.stdout?.toString("utf8") ?? r.raw }),
            (e: unknown) => ({ failure: e instanceof Error ? e.message : String(e) }),
        );
        try {
            const outcome = await Promise.race([invocation, timedOut]);
            if (outcome === "timeout") {
                // The shell is still busy with the command: nothing else could run in it. Kill it;
                // the next call starts a fresh one.
                this.kill(shell);
                throw new ShellTimedOut();
            }
            if ("failure" in outcome || (shell.exited && extractResult(outcome.stdout) === null)) {
                this.forget(shell);
                const code = shell.process.exitCode ?? shell.process.signalCode ?? "unknown";
                throw new ShellCrashed(`exit code ${code}${shell.stderrTail ? `: ${excerpt(shell.stderrTail)}` : ""}`);
            }
            return outcome.stdout;
        } finally {
            clearTimeout(timer);
        }
    }

    private ensureStarted(options: InvocationOptions): Promise<RunningShell> {
        if (this.running && !this.running.exited) return Promise.resolve(this.running);
        // A read cut off by dispose would otherwise restart the shell nobody stops any more.
        if (this.disposed) return Promise.reject(this.error("HostUnreachable", `the PowerShell session was disposed during ${options.operation}`, options));
        this.starting ??= this.start(options).finally(() => {
            this.starting = null;
        });
        return this.starting;
    }

    private async start(options: InvocationOptions): Promise<RunningShell> {
        const executable = resolveShellExecutable(this.target);
        let shell: PowerShell;
        try {
            shell = new ChosenPowerShell({
                executable,
                executableOptions: { "-NoProfile": true, "-NonInteractive": true },
                throwOnInvocationError: false,
                spawnOptions: { env: this.env },
            });
        } catch (e) {
            throw this.error("HostUnreachable", `could not start ${executable}: ${e instanceof Error ? e.message : String(e)}`, options);
        }
        silence(shell);
        this.startCount++;
        const internals = shell as unknown as ShellInternals;
        internals.exitPromise.catch(() => undefined);
        const running: RunningShell = { shell, process: internals.process, exited: false, stderrTail: "", stdoutSoFar: "", stderrSoFar: "" };
        internals.process.stdout?.on("data", (chunk: Buffer | string) => {
            running.stdoutSoFar += chunk.toString();
        });
        let spawnError: string | null = null;
        internals.process.once("error", (e) => {
            spawnError = e.message;
        });
        internals.process.once("exit", () => {
            running.exited = true;
        });
        internals.process.stderr?.on("data", (chunk: Buffer | string) => {
            running.stderrTail = (running.stderrTail + chunk.toString()).slice(-EXCERPT);
            running.stderrSoFar = (running.stderrSoFar + chunk.toString()).slice(-EXCERPT);
        });
        this.running = running;
        let stdout: string;
        try {
            stdout = await this.run(running, frameSessionStart(remoteConnectParameters(this.target)), this.target.timeouts.connectSeconds * 1000);
        } catch (e) {
            if (e instanceof ShellCrashed) {
                const why = spawnError
                    ? `${executable} could not be started (${spawnError}); install PowerShell, or name the one to start with \`pulumi config set hyperv:shell pwsh\` (or powershell)`
                    : `${executable} exited at start (${e.message})`;
                throw this.error("HostUnreachable", why, options);
            }
            throw e;
        }
        const answer = extractResult(stdout);
        const parsed = answer === null ? null : safeJson(answer);
        const record = errorRecordSchema.safeParse((parsed as { error?: unknown } | null)?.error);
        if (record.success) {
            this.kill(running);
            const said = sshSaid(running);
            const context = { ...options.subject, host: this.displayName, operation: `connect for ${options.operation}` };
            if (/Host key verification failed/i.test(said)) {
                throw new HostError("HostUnreachable", `${record.data.message}${said}`, context, {
                    cause: new HyperVErrorRecord(record.data),
                    hint: "the host's SSH key is not known here: add it to ~/.ssh/known_hosts (ssh-keyscan -p <port> <host>, checked against the host), or point hyperv:knownHostsFile at a file that has it",
                });
            }
            throw errorFromRecord({ ...record.data, message: `${record.data.message}${said}` }, context);
        }
        const probe = shellProbeSchema.safeParse((parsed as { ok?: unknown } | null)?.ok);
        if (!probe.success) {
            this.kill(running);
            throw this.error(
                "UnexpectedOutput",
                `${executable} did not answer the session start as PowerShell would. Output: ${excerpt(stdout) || "(none)"}`,
                options,
            );
        }
        const refusal = shellRefusal(probe.data, this.target);
        if (refusal) {
            this.kill(running);
            throw new HostError(
                "UnsupportedShell",
                refusal.detail,
                { host: this.displayName, operation: `connect for ${options.operation}` },
                { hint: refusal.hint },
            );
        }
        return running;
    }

    private kill(shell: RunningShell): void {
        this.forget(shell);
        shell.exited = true;
        void shell.shell.dispose().catch(() => undefined);
    }

    private forget(shell: RunningShell): void {
        if (this.running === shell) this.running = null;
    }

    private error(code: "HostUnreachable" | "HostTimeout" | "UnexpectedOutput", detail: string, options: InvocationOptions): HostError {
        return new HostError(code, detail, { ...options.subject, host: this.displayName, operation: options.operation });
    }

    /** Closes the remote session and stops the shell; pending invocations fail. */
    async dispose(): Promise<void> {
        if (this.disposed) return;
        this.disposed = true;
        const shell = this.running;
        if (!shell) return;
        if (this.target.kind !== "local" && !shell.exited) {
            await Promise.race([shell.shell.invoke(frameSessionEnd).catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
        }
        this.kill(shell);
    }

    /** Synchronous kill for process exit, where nothing asynchronous runs any more. */
    killNow(): void {
        this.disposed = true;
        if (this.running) this.running.process.kill();
        this.running = null;
    }
}

/** An error envelope from a remote session: whether its connection was lost, and the record. */
function remoteFailure(result: string): { connectionLost: boolean; error: Record<string, unknown> & { message: string } } | null {
    const answer = safeJson(result) as { error?: Record<string, unknown> } | null;
    const error = answer?.error;
    if (!error || typeof error.message !== "string") return null;
    const openFailed = String(error.fullyQualifiedErrorId ?? "").startsWith("PSSessionOpenFailed");
    if (error.connectionLost !== true && !openFailed) return null;
    return { connectionLost: error.connectionLost === true, error: error as Record<string, unknown> & { message: string } };
}

/** What ssh printed during the last command (" (ssh: ...)"), or "". */
function sshSaid(shell: RunningShell): string {
    const lines = `${shell.stdoutSoFar}\n${shell.stderrSoFar}`
        // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences (ESC [) are what this removes
        .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        // node-powershell's delimiters are 16 alphanumerics; our markers carry results.
        .filter((l) => l !== "" && !/^[0-9A-Za-z]{16}$/.test(l) && !l.includes("@@HVCP"));
    const words = [...new Set(lines)].slice(0, 3).join(" ");
    return words ? ` (${words.length > 500 ? `${words.slice(0, 500)}…` : words})` : "";
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return null;
    }
}
