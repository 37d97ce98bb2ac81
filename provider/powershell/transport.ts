/** Options of one invocation. */
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
