/** How one command ended: its stdout, or the shell's exit before it finished. */
export type CommandOutcome = { stdout: string } | { exited: true; stdout: string };

/**
 * What a session runs its commands in (protocol.ts): a PowerShell process of its own
 * (shell-process.ts), or a runspace of a process shared with the target's other sessions
 * (shell-host.ts). One command at a time; once stopped or exited it runs none.
 */
export interface CommandShell {
    /** A watchdog already watches the process (one per process): the session start leaves none. */
    readonly watched: boolean;
    readonly exited: boolean;
    /** Why the process could not be started, or null. */
    readonly spawnError: string | null;
    /** The last of what the process wrote to stderr, for messages. */
    readonly stderrTail: string;
    /** What the command running now printed so far: undo records, the remote process's start, ssh's words. */
    readonly stdoutSoFar: string;
    readonly stderrSoFar: string;
    /** A command is running. */
    readonly busy: boolean;
    /** The process's id (benchmarks read its CPU from it). */
    readonly pid: number | undefined;
    /** The exit code or signal, for messages. */
    readonly exitStatus: string;
    onceExited(listener: () => void): void;
    run(command: string): Promise<CommandOutcome>;
    /** Ends the command running, if any, and runs no more; synchronous. */
    stop(): void;
}

/** Starts what a session runs its commands in, with this executable. */
export type OpenShell = (executable: string) => Promise<CommandShell>;
