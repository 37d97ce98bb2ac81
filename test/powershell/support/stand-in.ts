import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * An executable the provider can start like pwsh: a shell wrapper that runs the compiled
 * stand-in with this Node. Returns its path and a scratch folder for its log and state.
 */
export function standInShell(): { executable: string; dir: string; log: string } {
    const dir = mkdtempSync(join(tmpdir(), "hvcp-standin-"));
    const script = resolve(__dirname, "../fixtures/stand-in-shell.js");
    const executable = join(dir, "pwsh-stand-in");
    writeFileSync(executable, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
    chmodSync(executable, 0o755);
    return { executable, dir, log: join(dir, "shells.log") };
}
