import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** One start of the recording `pwsh`: its arguments, its environment, and every line written to its stdin. */
export interface RecordedStart {
    argv: string;
    env: string;
    /** The shell's transcript: what the provider wrote to it (empty for the stand-in, which reads it itself). */
    stdin: string;
    /**
     * What its sessions were sent: the transcript with each session's command (shell-host.ts sends
     * `run <session> <base64 command>`) decoded, one per line, as a process of its own would have read it.
     */
    commands: string;
}

const sessionCommands = (stdin: string): string =>
    stdin
        .split("\n")
        .map((line) => {
            const run = /^run \S+ ([A-Za-z0-9+/=]*)$/.exec(line);
            return run ? Buffer.from(run[1]!, "base64").toString("utf8") : line;
        })
        .join("\n");

/**
 * A folder holding an executable named `pwsh` that records how it was started (its arguments and
 * its environment, one file per start) and then runs the stand-in shell of the PowerShell tests,
 * or, given `real`, that PowerShell, its stdin copied to a file on the way. Put the folder first on
 * PATH and the provider's PowerShell adapter starts it as PowerShell.
 */
export function pwshOnPath(real?: string): { dir: string; starts: () => RecordedStart[] } {
    const dir = mkdtempSync(join(tmpdir(), "hvcp-pwsh-"));
    const standIn = resolve(__dirname, "../../powershell/fixtures/stand-in-shell.js");
    // tee and PowerShell stay in the shell's process group, which the provider stops as one.
    const run = real ? `tee "${dir}/stdin.$n" | "${real}" "$@"` : `exec "${process.execPath}" "${standIn}" "$@"`;
    writeFileSync(join(dir, "pwsh"), ["#!/bin/sh", `n=$$; printf '%s\\n' "$0" "$@" > "${dir}/argv.$n"; env > "${dir}/env.$n"`, run, ""].join("\n"));
    chmodSync(join(dir, "pwsh"), 0o755);
    return {
        dir,
        starts: () => {
            return readdirSync(dir)
                .filter((f) => f.startsWith("argv."))
                .map((f) => {
                    const file = join(dir, `stdin.${f.slice(5)}`);
                    const stdin = existsSync(file) ? readFileSync(file, "utf8") : "";
                    return {
                        argv: readFileSync(join(dir, f), "utf8"),
                        env: readFileSync(join(dir, `env.${f.slice(5)}`), "utf8"),
                        stdin,
                        commands: sessionCommands(stdin),
                    };
                });
        },
    };
}
