import type { Command } from "commander";

export interface GlobalOptions {
    lab: string;
    json?: boolean;
}

export function globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
}

/** Prints the result: JSON with --json, otherwise a one-line summary. */
export function report(command: Command, value: unknown, summary: string): void {
    process.stdout.write(globals(command).json ? `${JSON.stringify(value, null, 2)}\n` : `${summary}\n`);
}
