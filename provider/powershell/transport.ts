/** Options of one invocation. */
import type { ErrorContext } from "../host/errors";

export interface InvocationOptions {
    /** What is being done, for timeout and crash messages, e.g. "take checkpoint". */
    operation: string;
    /** Overrides the session's operation timeout (removal merges disks and gets longer). */
    timeoutMs?: number;
    /**
     * The script only reads: after a shell crash it may run again on a fresh shell. Mutations are
     * never re-run, since the crash may have happened after Hyper-V acted.
     */
    readOnly: boolean;
    /** The VM and checkpoint the operation is about, for the session's own errors (timeouts, crashes). */
    subject?: Omit<ErrorContext, "host" | "operation">;
    /**
     * How to put back what the script changed when it is cut off (timeout, crash) after it
     * announced a change with an undo record (see protocol.ts, UNDO_MARKER). Given the record.
     */
    compensate?: (record: unknown) => Compensation;
    /** The same operation as a call of the host-side module's function (installed endpoints run only these). */
    call?: FunctionCall;
}

/** An operation as the host-side module runs it: a function by name, with the one base64 JSON payload. */
export interface FunctionCall {
    function: string;
    payload: string;
}

/** Puts back what an interrupted script had changed, on a fresh shell. */
export interface Compensation {
    script: string;
    call: FunctionCall;
    /** What the user reads when it worked. */
    done: string;
    /** What the user reads when it did not, with the reason. */
    failed: (why: string) => string;
}

/**
 * Runs one operation script on the Hyper-V host and returns the single JSON document it printed.
 * The PowerShell session implements it; tests use recording transports and stand-in shells.
 */
export interface Transport {
    /** How the host is named in messages. */
    readonly displayName: string;
    invoke(script: string, options: InvocationOptions): Promise<string>;
    dispose(): Promise<void>;
}
