import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { endpointFiles, MODULE_FOLDER, SSHD_SNIPPET_FILE } from "../../../provider/powershell/endpoint/files";
import { MODULE_DIGEST, MODULE_NAME, MODULE_VERSION } from "../../../provider/powershell/module/module";
import { writeEndpointFiles } from "../../../provider/powershell/endpoint/write";
import { currentUser } from "./real-shells";

async function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as { port: number };
            probe.close(() => resolve(port));
        });
    });
}

/** Resolves when something accepts connections on the port. */
async function listening(port: number, deadlineMs: number): Promise<boolean> {
    const { connect } = await import("node:net");
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
        const ok = await new Promise<boolean>((resolve) => {
            const socket = connect(port, "127.0.0.1");
            socket.once("connect", () => {
                socket.destroy();
                resolve(true);
            });
            socket.once("error", () => resolve(false));
        });
        if (ok) return true;
        await new Promise((r) => setTimeout(r, 100));
    }
    return false;
}

/**
 * A throw-away OpenSSH server on a free loopback port, for PowerShell remoting over SSH for real:
 * its own host key, one authorised client key, and a `powershell` subsystem that starts pwsh with
 * the environment the stand-in needs (sshd gives subsystems a minimal environment, so DOTNET_ROOT
 * for the pwsh shim and the stand-in's settings are exported by a wrapper).
 *
 * A second port serves the restricted endpoint made from the generated files (`npx hyperv-checkpoints
 * endpoint`): the module on the subsystem's module path and the generated sshd_config snippet, whose
 * `Match` selects that port instead of an account (the tests run as one user), so one server serves both.
 */
export class LoopbackSshd {
    readonly dir = mkdtempSync(join(tmpdir(), "hvcp-sshd-"));
    readonly clientKey: string;
    readonly knownHosts = join(this.dir, "known_hosts");
    readonly user = currentUser();
    port = 0;
    /** The port of the restricted endpoint (the generated .pssc through the generated sshd_config lines). */
    restrictedPort = 0;
    /** Where the generated endpoint files are. */
    readonly endpointDir = join(this.dir, "endpoint");
    /** A restricted endpoint whose module is of another version (as after `npm update` without upgrading the host). */
    staleEndpointPort = 0;
    private readonly staleEndpointDir = join(this.dir, "endpoint-stale");
    private process: ChildProcess | null = null;
    log = "";

    /** `clientKey`: accept this key (its .pub beside it) instead of making one, so several servers take one key (a cluster's nodes). */
    constructor(
        private readonly sshd: string,
        private readonly pwsh: string,
        private readonly subsystemEnv: Record<string, string>,
        clientKey?: string,
    ) {
        this.clientKey = clientKey ?? join(this.dir, "client_key");
        this.makesClientKey = clientKey === undefined;
    }

    private readonly makesClientKey: boolean;

    async start(): Promise<void> {
        const hostKey = join(this.dir, "host_key");
        for (const key of this.makesClientKey ? [hostKey, this.clientKey] : [hostKey]) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
        writeFileSync(join(this.dir, "authorized_keys"), readFileSync(`${this.clientKey}.pub`));
        this.port = await freeLoopbackPort();
        this.restrictedPort = await freeLoopbackPort();
        this.staleEndpointPort = await freeLoopbackPort();
        const publicKey = this.hostPublicKey();
        writeFileSync(this.knownHosts, [this.port, this.restrictedPort, this.staleEndpointPort].map((port) => `[127.0.0.1]:${port} ${publicKey}\n`).join(""));
        const wrapper = join(this.dir, "powershell-subsystem.sh");
        const dotnetRoot = process.env.DOTNET_ROOT ?? dotnetRootGuess();
        const exports = Object.entries({ ...this.subsystemEnv, ...(dotnetRoot ? { DOTNET_ROOT: dotnetRoot } : {}) }).map(
            ([k, v]) => `export ${k}='${v.replace(/'/g, "'\\''")}'`,
        );
        writeFileSync(wrapper, ["#!/bin/sh", ...exports, `exec '${this.pwsh}' -sshs -NoLogo`, ""].join("\n"));
        chmodSync(wrapper, 0o755);
        // The restricted endpoint's pwsh: the same environment, the generated module on its module path.
        const restrictedExports = exports.filter((line) => !line.startsWith("export PSModulePath="));
        const endpointOn = (folder: string, port: number) => {
            const restrictedPwsh = join(this.dir, `restricted-pwsh-${port}.sh`);
            const modulePath = [folder, this.subsystemEnv.PSModulePath].filter(Boolean).join(":");
            writeFileSync(
                restrictedPwsh,
                ["#!/bin/sh", ...restrictedExports, `export PSModulePath='${modulePath}'`, `exec '${this.pwsh}' "$@"`, ""].join("\n"),
            );
            chmodSync(restrictedPwsh, 0o755);
            const options = { account: this.user, pwsh: restrictedPwsh, configDir: folder, match: `LocalPort ${port}` };
            writeEndpointFiles(folder, options);
            return endpointFiles(options)[SSHD_SNIPPET_FILE];
        };
        const restricted = endpointOn(this.endpointDir, this.restrictedPort);
        const stale = endpointOn(this.staleEndpointDir, this.staleEndpointPort);
        // What an older release's module says of itself: another version and digest.
        const staleModule = join(this.staleEndpointDir, MODULE_FOLDER, `${MODULE_NAME}.psm1`);
        writeFileSync(
            staleModule,
            readFileSync(staleModule, "utf8")
                .replaceAll(MODULE_DIGEST, "0000000000000000")
                .replace(`moduleVersion = '${MODULE_VERSION}'`, "moduleVersion = '0.0.1'"),
        );
        writeFileSync(
            join(this.dir, "sshd_config"),
            [
                `Port ${this.port}`,
                `Port ${this.restrictedPort}`,
                `Port ${this.staleEndpointPort}`,
                "ListenAddress 127.0.0.1",
                `HostKey ${hostKey}`,
                `PidFile ${join(this.dir, "sshd.pid")}`,
                `AuthorizedKeysFile ${join(this.dir, "authorized_keys")}`,
                `AllowUsers ${this.user}`,
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                `Subsystem powershell ${wrapper}`,
                // Match blocks go last: everything after one belongs to it.
                restricted,
                stale,
            ].join("\n"),
        );
        // sshd refuses to start without its privilege separation directory.
        mkdirSync("/run/sshd", { recursive: true });
        this.spawn();
        if (!(await listening(this.port, 10_000))) throw new Error(`sshd did not start on 127.0.0.1:${this.port}: ${this.log}`);
    }

    /** The server's host key, as a known_hosts line takes it ("ssh-ed25519 AAAA..."). */
    hostPublicKey(): string {
        return readFileSync(join(this.dir, "host_key.pub"), "utf8").split(" ").slice(0, 2).join(" ");
    }

    /** The listener's process id: every connection's sshd, and the remote PowerShell behind it, run below it. */
    get pid(): number | undefined {
        return this.process?.pid;
    }

    /** Stops the server; established connections die with it (tests use this as "sshd gone"). */
    async stop(): Promise<void> {
        const child = this.process;
        this.process = null;
        if (!child || child.exitCode !== null || child.pid === undefined) return;
        // Each connection is served by a child sshd in its own session, which outlives the listener: end those first.
        for (const pid of childrenOf(child.pid)) killQuietly(pid);
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
    }

    /** At process exit: nothing asynchronous runs any more. */
    killNow(): void {
        const pid = this.process?.pid;
        if (pid === undefined || this.process?.exitCode !== null) return;
        for (const child of childrenOf(pid)) killQuietly(child);
        killQuietly(pid);
        rmSync(this.dir, { recursive: true, force: true });
    }

    /** Ends the connections (each a child sshd) and leaves the listener: "the connection dropped". */
    dropConnections(): void {
        if (this.process?.pid !== undefined) for (const pid of childrenOf(this.process.pid)) killQuietly(pid);
    }

    /** Starts the same server again on the same port (tests of "sshd came back"). */
    async restart(): Promise<void> {
        this.spawn();
        if (!(await listening(this.port, 10_000))) throw new Error(`sshd did not restart: ${this.log}`);
    }

    /** Shared by every suite of the process: it must not keep the process alive after them. */
    private spawn(): void {
        const child = spawn(this.sshd, ["-D", "-e", "-f", join(this.dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
        child.stderr?.on("data", (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4000)));
        (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
        child.unref();
        this.process = child;
    }

    remove(): void {
        rmSync(this.dir, { recursive: true, force: true });
    }
}

function childrenOf(pid: number): number[] {
    return readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .flatMap((d) => {
            try {
                const stat = readFileSync(`/proc/${d}/stat`, "utf8");
                // The command may hold spaces and parentheses: the fields after the last ")" are fixed.
                const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
                return ppid === pid ? [Number(d)] : [];
            } catch {
                return [];
            }
        });
}

function killQuietly(pid: number): void {
    try {
        process.kill(pid, "SIGTERM");
    } catch {
        // already gone
    }
}

function dotnetRootGuess(): string | null {
    try {
        const dotnet = execFileSync("readlink", ["-f", execFileSync("sh", ["-c", "command -v dotnet"], { encoding: "utf8" }).trim()], {
            encoding: "utf8",
        }).trim();
        return dotnet ? dirname(dotnet) : null;
    } catch {
        return null;
    }
}
