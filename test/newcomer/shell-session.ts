import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

/*
 * A terminal a newcomer types into: commands run one at a time, each exactly as written, and a
 * `cd` or an `export` carries over to the next command, as in an interactive shell. Each command
 * runs in its own bash so that its exit code and output are its own.
 */

const run = promisify(execFile);

export interface CommandResult {
    command: string;
    code: number;
    /** stdout and stderr, interleaved as a terminal shows them. */
    output: string;
}

/** Variables bash sets itself; carrying them over would only confuse the next command. */
const shellOwn = new Set(["PWD", "OLDPWD", "SHLVL", "_"]);

export class ShellSession {
    private cwd: string;
    private env: Record<string, string>;

    constructor(cwd: string, env: Record<string, string>) {
        this.cwd = cwd;
        this.env = { ...env };
    }

    get directory(): string {
        return this.cwd;
    }

    async run(command: string, timeoutMs = 600_000): Promise<CommandResult> {
        const state = fs.mkdtempSync(path.join(os.tmpdir(), "newcomer-shell-"));
        const cwdFile = path.join(state, "cwd");
        const envFile = path.join(state, "env");
        // No terminal and no input, as in CI: a command that would wait at a prompt fails instead.
        const script = [
            "exec </dev/null",
            `cd ${quote(this.cwd)} || exit 99`,
            "{",
            command,
            "} 2>&1",
            "status=$?",
            `pwd > ${quote(cwdFile)}`,
            `env -0 > ${quote(envFile)}`,
            "exit $status",
        ].join("\n");
        let result: CommandResult;
        try {
            const { stdout } = await run("bash", ["-c", script], { env: this.env, maxBuffer: 64 << 20, timeout: timeoutMs });
            result = { command, code: 0, output: stdout };
        } catch (err) {
            const e = err as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
            if (typeof e.code !== "number") throw err;
            result = { command, code: e.code, output: (e.stdout ?? "") + (e.stderr ?? "") };
        }
        if (fs.existsSync(cwdFile)) this.cwd = fs.readFileSync(cwdFile, "utf8").trim();
        if (fs.existsSync(envFile)) {
            const env: Record<string, string> = {};
            for (const entry of fs.readFileSync(envFile, "utf8").split("\0")) {
                const eq = entry.indexOf("=");
                if (eq > 0 && !shellOwn.has(entry.slice(0, eq))) env[entry.slice(0, eq)] = entry.slice(eq + 1);
            }
            this.env = env;
        }
        fs.rmSync(state, { recursive: true, force: true });
        return result;
    }
}

function quote(s: string): string {
    return `'${s.replace(/'/g, "'\\''")}'`;
}
