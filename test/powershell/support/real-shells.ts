import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import type { HyperVHost } from "../../../provider/host/port";
import { LabHost } from "../../../provider/lab";
import { createPowerShellHost } from "../../../provider/powershell";
import { RUNTIME_SETTINGS } from "../../../provider/powershell/shell-runtime";
import { standInClusterModulePath, standInModulePath } from "../stand-in/modules";
import { StandInServer } from "../stand-in/server";
import { LoopbackSshd } from "./loopback-sshd";
import { LoopbackCluster } from "./loopback-cluster";
import { openCluster } from "../../../provider/connect";
import { readHostSettings } from "../../../provider/config";

/** PowerShell 7 on PATH or where `dotnet tool install --global PowerShell` puts it; null when absent. */
export function findPwsh(): string | null {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
        if (dir && existsSync(join(dir, "pwsh"))) return join(dir, "pwsh");
    }
    const tool = join(homedir(), ".dotnet", "tools", "pwsh");
    return existsSync(tool) ? tool : null;
}

/**
 * PowerShell in its two shapes: as a .NET global tool (`tool`, a launcher whose child `dotnet
 * pwsh.dll` runs the commands; null when `pwsh` is not one) and as a plain executable (`plain`:
 * the tool's own apphost in its store folder, which runs pwsh.dll in its own process, or `pwsh`
 * itself when it is a package install).
 */
export function powerShellShapes(pwsh: string): { tool: string | null; plain: string | null } {
    const store = join(dirname(pwsh), ".store", "powershell");
    if (!existsSync(store)) return { tool: null, plain: pwsh };
    for (const version of readdirSync(store)) {
        const tools = join(store, version, "powershell", version, "tools");
        for (const framework of existsSync(tools) ? readdirSync(tools) : []) {
            const apphost = join(tools, framework, "any", "unix", "pwsh");
            if (existsSync(apphost)) return { tool: pwsh, plain: apphost };
        }
    }
    return { tool: pwsh, plain: null };
}

export function findSshd(): string | null {
    const configured = process.env.HYPERV_SSHD;
    if (configured && existsSync(configured)) return configured;
    for (const dir of [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin"]) {
        if (dir && existsSync(join(dir, "sshd"))) return join(dir, "sshd");
    }
    return null;
}

/**
 * Skips the suite with one line saying how to enable it, or fails it where it must run (CI sets
 * HYPERV_REQUIRE_POWERSHELL=1: a suite CI needs may not skip silently).
 */
export function unavailable(ctx: Mocha.Context, what: string, how: string): void {
    const line = `${what} unavailable: ${how}`;
    if (process.env.HYPERV_REQUIRE_POWERSHELL === "1") throw new Error(`${line} (HYPERV_REQUIRE_POWERSHELL=1: this suite must run)`);
    console.log(`    ${line}`);
    ctx.skip();
}

export const PWSH_HOW = "install PowerShell 7 (`bash scripts/ensure-powershell.sh`) to run the PowerShell suites";
export const SSHD_HOW = "install an OpenSSH server (`bash scripts/ensure-sshd.sh`) to run the remoting suites";

export const TEST_TIMEOUTS = { operationSeconds: 60, removalSeconds: 120, connectSeconds: 60 };

/**
 * A target's settings in a test: `fresh` gives it a shell path, so a pool, of its own;
 * `maxSessions` sizes that pool (it only applies to the first host of a target).
 */
export interface TargetOptions {
    timeouts?: typeof TEST_TIMEOUTS;
    fresh?: boolean;
    maxSessions?: number;
    /** Overrides the endpoint mode of an SSH target (default: installed on the restricted port, else uploaded). */
    endpoint?: "uploaded" | "installed";
}

/** How a suite reaches a Hyper-V host: the lab directly, or PowerShell on the stand-in. */
export type AdapterKind = "lab" | "pwsh-local" | "pwsh-ssh" | "pwsh-ssh-restricted";
export const ADAPTERS: AdapterKind[] = ["lab", "pwsh-local", "pwsh-ssh", "pwsh-ssh-restricted"];

/**
 * One per test process: the stand-in module compiled, the lab's loopback server, and (for
 * remoting) a loopback sshd whose PowerShell subsystem sees the same module and server. Shared
 * because the provider shares one pool of shells per target per process, and a shell keeps the
 * environment it was started with.
 */
class StandInEnvironment {
    readonly server = new StandInServer();
    pwsh = "";
    modulePath = "";
    sshd: LoopbackSshd | null = null;
    cluster: LoopbackCluster | null = null;
    private serving: Promise<void> | null = null;
    private sshdStarting: Promise<void> | null = null;
    private clusterStarting: Promise<void> | null = null;

    /** Three loopback sshd, each a node of a cluster lab (node1..node3), with the FailoverClusters stand-in. */
    async startCluster(ctx: Mocha.Context): Promise<void> {
        await this.start(ctx, ["pwsh-local"]);
        const sshd = findSshd();
        if (!sshd) return unavailable(ctx, "sshd", SSHD_HOW);
        this.clusterStarting ??= (async () => {
            const modulePath = [this.modulePath, standInClusterModulePath()].join(delimiter);
            this.cluster = new LoopbackCluster(sshd, this.pwsh, (node) => ({
                HYPERV_STANDIN_URL: this.server.url,
                HYPERV_STANDIN_NODE: node,
                PSModulePath: modulePath,
                ...RUNTIME_SETTINGS,
            }));
            process.once("exit", () => this.cluster?.killNow());
            await this.cluster.start();
        })();
        await this.clusterStarting;
    }

    async start(ctx: Mocha.Context, kinds: AdapterKind[]): Promise<void> {
        if (kinds.every((k) => k === "lab")) return;
        const pwsh = findPwsh();
        if (!pwsh) return unavailable(ctx, "PowerShell 7", PWSH_HOW);
        this.serving ??= (async () => {
            this.pwsh = pwsh;
            this.modulePath = standInModulePath(pwsh);
            await this.server.start();
            process.once("exit", () => this.sshd?.killNow());
        })();
        await this.serving;
        if (kinds.includes("pwsh-ssh") || kinds.includes("pwsh-ssh-restricted")) {
            const sshd = findSshd();
            if (!sshd) return unavailable(ctx, "sshd", SSHD_HOW);
            this.sshdStarting ??= (async () => {
                // The remote shells get the .NET settings our local shells start with (shell-runtime.ts): a
                // Windows host's sshd would start them with its own, but here they share the test's 2 cores.
                this.sshd = new LoopbackSshd(sshd, pwsh, { HYPERV_STANDIN_URL: this.server.url, PSModulePath: this.modulePath, ...RUNTIME_SETTINGS });
                await this.sshd.start();
            })();
            await this.sshdStarting;
        }
    }
}

const environment = new StandInEnvironment();

/**
 * What a suite needs to run PowerShell for real against the lab: the process's stand-in
 * environment, and the hosts this suite made (released by `stop`).
 */
export class RealShells {
    get server(): StandInServer {
        return environment.server;
    }
    get pwsh(): string {
        return environment.pwsh;
    }
    get modulePath(): string {
        return environment.modulePath;
    }
    get sshd(): LoopbackSshd | null {
        return environment.sshd;
    }
    /** The three-node loopback cluster (clusterHooks starts it). */
    get cluster(): LoopbackCluster {
        if (!environment.cluster) throw new Error("no loopback cluster: register clusterHooks() in the suite");
        return environment.cluster;
    }
    private readonly hosts: HyperVHost[] = [];

    /**
     * The suite's hooks, registered inside its describe (at the root of a file they would run around,
     * and skip, every suite of the run): start what `kinds` need; after, release this suite's hosts
     * and run `cleanup`.
     */
    hooks(kinds: AdapterKind[], cleanup: () => void = () => undefined): void {
        before(async function (this: Mocha.Context) {
            this.timeout(180_000);
            await environment.start(this, kinds);
        });
        after(async () => {
            await this.stop();
            cleanup();
        });
        afterEach(() => this.server.clearFaults());
    }

    /** As `hooks`, for suites on the three-node loopback cluster. */
    clusterHooks(cleanup: () => void = () => undefined): void {
        before(async function (this: Mocha.Context) {
            this.timeout(180_000);
            await environment.startCluster(this);
        });
        after(async () => {
            await this.stop();
            cleanup();
        });
        afterEach(() => this.server.clearFaults());
    }

    /**
     * The cluster lab in `folder` through its three SSH nodes, composed as the provider composes
     * hyperv:nodes (connect.ts openCluster: each node its own pool and per-VM ordering, the owner
     * found with Get-VM -Id on every node). `fresh`: each node a shell of its own (another release).
     */
    clusterHost(folder: string, options: TargetOptions & { migrationWaitSeconds?: number } = {}): HyperVHost {
        this.useLab(folder);
        const settings = readHostSettings({ get: (k) => ({ "hyperv:migrationWaitSeconds": String(options.migrationWaitSeconds ?? 5) })[k] });
        const nodes = this.cluster.names.map((name): [string, HyperVHost] => [name, createPowerShellHost(this.clusterTarget(name, options))]);
        const host = openCluster("HV-CLUSTER", nodes, undefined, settings);
        this.hosts.push(host);
        return host;
    }

    /** The SSH target of one node of the loopback cluster. */
    clusterTarget(name: string, options: TargetOptions = {}) {
        const node = this.cluster.node(name);
        return {
            kind: "ssh" as const,
            host: "127.0.0.1",
            port: node.port,
            endpoint: "uploaded" as const,
            userName: node.user,
            keyFilePath: this.cluster.clientKey,
            knownHostsFile: this.cluster.knownHosts,
            shell: options.fresh ? this.freshShellPath() : this.pwsh,
            timeouts: options.timeouts ?? TEST_TIMEOUTS,
            ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
        };
    }

    /** Starts what `kinds` need, once per process; skips (or, on CI, fails) the suite when a tool is missing. */
    start(ctx: Mocha.Context, kinds: AdapterKind[]): Promise<void> {
        return environment.start(ctx, kinds);
    }

    /** The environment of a local shell that sees the stand-in. */
    env(): NodeJS.ProcessEnv {
        return { ...process.env, HYPERV_STANDIN_URL: this.server.url, PSModulePath: this.modulePath };
    }

    /** Points the stand-in at a lab folder (each test has its own). */
    useLab(folder: string): void {
        this.server.lab = folder;
    }

    /**
     * A HyperVHost of the given kind on `folder`. PowerShell hosts share one pool of shells per
     * target, as in the provider; `fresh` gives this host a pool of its own (a host that is another
     * machine: the session start probes the host's release once per shell).
     */
    host(kind: AdapterKind, folder: string, options: TargetOptions = {}): HyperVHost {
        this.useLab(folder);
        const target = kind === "lab" ? null : this.target(kind, options);
        const host = target ? createPowerShellHost(target, { env: this.env() }) : new LabHost(folder);
        this.hosts.push(host);
        return host;
    }

    /** A PowerShell host on a target from `target` (tests that need to know the shell's path). */
    hostOn(target: ReturnType<RealShells["target"]>, folder: string): HyperVHost {
        this.useLab(folder);
        const host = createPowerShellHost(target, { env: this.env() });
        this.hosts.push(host);
        return host;
    }

    /** The PowerShell target of a kind, as the provider's configuration would produce it. */
    target(kind: Exclude<AdapterKind, "lab">, options: TargetOptions = {}) {
        const timeouts = options.timeouts ?? TEST_TIMEOUTS;
        const shell = options.fresh ? this.freshShellPath() : this.pwsh;
        const pool = options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {};
        if (kind === "pwsh-local") return { kind: "local" as const, shell, timeouts, ...pool };
        const sshd = this.sshd!;
        const restricted = kind === "pwsh-ssh-restricted";
        return {
            kind: "ssh" as const,
            host: "127.0.0.1",
            port: restricted ? sshd.restrictedPort : sshd.port,
            endpoint: options.endpoint ?? (restricted ? ("installed" as const) : ("uploaded" as const)),
            userName: sshd.user,
            keyFilePath: sshd.clientKey,
            knownHostsFile: sshd.knownHosts,
            shell,
            timeouts,
            ...pool,
        };
    }

    /** pwsh under another path: a target of its own, so a session of its own. */
    private freshShellPath(): string {
        const dir = mkdtempSync(join(tmpdir(), "hvcp-pwsh-"));
        symlinkSync(this.pwsh, join(dir, "pwsh"));
        return join(dir, "pwsh");
    }

    /** Releases this suite's hosts (their shells stop with the last user); the environment stays for other suites. */
    async stop(): Promise<void> {
        await Promise.allSettled(this.hosts.splice(0).map((h) => h.dispose()));
        this.server.clearFaults();
    }
}

/** The user tests run as, for the ssh address. */
export function currentUser(): string {
    return execFileSync("id", ["-un"], { encoding: "utf8" }).trim();
}
