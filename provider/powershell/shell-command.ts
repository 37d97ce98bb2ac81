import { extractResult } from "./protocol";
import { excerpt } from "./errors";
import type { CommandShell } from "./command-shell";

/** The shell process exited during a command (it crashed, or something killed it). */
export class ShellCrashed extends Error {
    constructor(
        message: string,
        /** What the compensation of the cut-off operation did, for the user; null when there was none. */
        readonly undone: string | null = null,
    ) {
        super(message);
    }
}

/** A command did not finish in time; the shell process was stopped. */
export class ShellTimedOut extends Error {}

/**
 * Runs one command and resolves with its stdout. Past `timeoutMs` the process is stopped with
 * everything it started (nothing else could run in it while it is busy; the next call starts a
 * fresh one) and ShellTimedOut is thrown; a process that exited without an answer is ShellCrashed.
 */
export async function runCommand(shell: CommandShell, command: string, timeoutMs: number): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
        const outcome = await Promise.race([shell.run(command), timedOut]);
        if (outcome === "timeout") {
            shell.stop();
            throw new ShellTimedOut();
        }
        if ("exited" in outcome && extractResult(outcome.stdout) === null) {
            shell.stop();
            throw new ShellCrashed(`exit code ${shell.exitStatus}${shell.stderrTail ? `: ${excerpt(shell.stderrTail)}` : ""}`);
        }
        return outcome.stdout;
    } finally {
        clearTimeout(timer);
    }
}
