import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * A folder holding an executable named `pwsh` that records how it was started (its arguments and
 * its environment, one file per start) and then runs the stand-in shell of the PowerShell tests.
 * Put the folder first on PATH and the provider's PowerShell adapter starts it as PowerShell.
 */
export function pwshOnPath(): { dir: string; starts: () => { argv: string; env: string }[] } {
    const dir = mkdtempSync(join(tmpdir(), "hvcp-pwsh-"));
    const standIn = resolve(__dirname, "../../powershell/fixtures/stand-in-shell.js");
    writeFileSync(
        join(dir, "pwsh"),
        ["#!/bin/sh", `n=$$; printf '%s\\n' "$0" "$@" > "${dir}/argv.$n"; env > "${dir}/env.$n"`, `exec "${process.execPath}" "${standIn}" "$@"`, ""].join(
            "\n",
        ),
    );
    chmodSync(join(dir, "pwsh"), 0o755);
    return {
        dir,
        starts: () => {
            return readdirSync(dir)
                .filter((f) => f.startsWith("argv."))
                .map((f) => ({
                    argv: readFileSync(join(dir, f), "utf8"),
                    env: readFileSync(join(dir, `env.${f.slice(5)}`), "utf8"),
                }));
        },
    };
}
