import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { fleetLab } from "./lab-fleet";
import { watchProcessTree } from "./process-tree";

/*
 * Engine floor vs provider: the same program shape (N VMs x (1 policy + 2 checkpoints)) as
 * hyperv-checkpoints resources on a fresh lab ("ours") and as no-op dynamic resources ("floor"),
 * each run as `up`, a second `up` with no changes, and `refresh`, alternating floor and ours so
 * that load from other work on the machine falls on both alike.
 */

/**
 * "floor-quiet" is the floor's no-op resource registering with stack traces off, as ours do
 * (sdk/registration.ts): the engine's floor without the Pulumi runtime's per-promise stacks, so
 * what is left of ours/floor is not that.
 */
export type Mode = "floor" | "floor-quiet" | "ours" | "native-floor" | "native";
/** The native side: the plugin, and a no-op native plugin of the same shape as its floor. */
export const NATIVE_MODES: readonly Mode[] = ["native-floor", "native"];
export const ENGINE_OPS = ["up", "up (no changes)", "refresh"] as const;
export type EngineOp = (typeof ENGINE_OPS)[number];

export interface EngineMeasurement {
    mode: Mode;
    vms: number;
    resources: number;
    op: EngineOp;
    round: number;
    wallSeconds: number;
    peakRssMb: number;
    providerCpuSeconds: number;
    totalCpuSeconds: number;
    /** The stack's state after the operation, per resource (the file backend rewrites it after every step). */
    stateBytesPerResource: number;
    /** Whether every dynamic resource's serialised provider in the state is a `require` of a package. */
    providersRequired: boolean;
}

export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
    for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "bench", "programs"))) return dir;
    }
    throw new Error(`cannot find the repository root above ${start}`);
}

const run = promisify(execFile);
const installs = new Map<string, Promise<string>>();

/**
 * This package as users install it: `npm pack`, then `npm install` of the tarball into a folder
 * of the work root, once per run, next to the floor's no-op provider packed the same way.
 * Installed in node_modules (not linked), both sides' serialised providers in the state are
 * `require`s, as ours are for users: the floor no longer pays for a bigger state than we do. The program has its own
 * package.json: without it, `require("hyperv-checkpoints")` inside the repository would resolve to
 * the repository itself (Node's package self-reference). @pulumi/pulumi is not installed there: it
 * resolves from the repository, one copy for the program and the package.
 */
function installedPackage(workRoot: string): Promise<string> {
    let install = installs.get(workRoot);
    if (!install) {
        install = (async () => {
            const dir = fs.mkdtempSync(path.join(workRoot, "installed-"));
            const pack = async (cwd: string) => {
                // --ignore-scripts: `prepack` would rebuild dist under the running benchmark; `npm run bench` has just built it.
                const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd, maxBuffer: 16 << 20 });
                return `file:./${(JSON.parse(stdout) as { filename: string }[])[0]!.filename}`;
            };
            const dependencies = {
                "hyperv-checkpoints": await pack(repoRoot),
                "hyperv-bench-noop-provider": await pack(path.join(repoRoot, "bench", "programs", "noop-provider")),
                "hyperv-bench-noop-native": await pack(path.join(repoRoot, "bench", "programs", "noop-native")),
            };
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, dependencies }));
            await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--legacy-peer-deps", "--loglevel=error"], {
                cwd: dir,
                maxBuffer: 16 << 20,
            });
            return path.join(dir, "node_modules");
        })();
        installs.set(workRoot, install);
    }
    return install;
}

/** What a stack adds to the fleet program's defaults: its host settings, the engine's environment, a lab of its own. */
export interface FleetStackOptions {
    config?: Record<string, { value: string }>;
    env?: Record<string, string>;
    /** The lab `ours` runs on; a fresh fleet lab of `vms` VMs when absent. */
    lab?: string;
}

/** A fresh stack (local file backend) running the fleet program with this package installed. */
export async function fleetStack(mode: Mode, vms: number, workRoot: string, options: FleetStackOptions = {}): Promise<{ stack: Stack; workDir: string }> {
    const workDir = fs.mkdtempSync(path.join(workRoot, `${mode}-${vms}-`));
    fs.cpSync(path.join(repoRoot, "bench", "programs", "fleet"), workDir, { recursive: true });
    fs.symlinkSync(await installedPackage(workRoot), path.join(workDir, "node_modules"), "dir");
    const stateDir = path.join(workDir, ".state");
    fs.mkdirSync(stateDir);
    const home = process.env.PULUMI_HOME ?? path.join(os.tmpdir(), "hyperv-checkpoints-pulumi-home");
    fs.mkdirSync(home, { recursive: true });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "bench", workDir },
        {
            envVars: {
                PULUMI_BACKEND_URL: `file://${stateDir}`,
                PULUMI_CONFIG_PASSPHRASE: "bench",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_HOME: home,
                // The native plugins, pulumi-resource-hyperv and pulumi-resource-hvnoop, from the installed packages.
                PATH: `${path.join(await installedPackage(workRoot), ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
                ...options.env,
            },
        },
    );
    const config: Record<string, { value: string }> = { "bench:mode": { value: mode }, "bench:vms": { value: String(vms) } };
    if (mode === "ours" || mode === "native") config["hyperv:host"] = { value: `lab:${options.lab ?? (await fleetLab(vms, workDir))}` };
    await stack.setAllConfig({ ...config, ...options.config });
    return { stack, workDir };
}

type Measured = Pick<EngineMeasurement, "wallSeconds" | "peakRssMb" | "providerCpuSeconds" | "totalCpuSeconds">;

/** What the state holds after an operation: bytes per resource of the program, and how dynamic providers are serialised (native: nothing is). */
function stateOf(workDir: string): Pick<EngineMeasurement, "stateBytesPerResource" | "providersRequired"> {
    const stacks = path.join(workDir, ".state", ".pulumi", "stacks");
    const file = fs
        .readdirSync(stacks, { recursive: true, encoding: "utf8" })
        .map((f) => path.join(stacks, f))
        .find((f) => f.endsWith("bench.json"));
    if (!file) throw new Error(`no state file under ${stacks}`);
    const text = fs.readFileSync(file, "utf8");
    const resources =
        (JSON.parse(text) as { checkpoint: { latest: { resources?: { type: string; inputs?: { __provider?: string } }[] } } }).checkpoint.latest.resources ??
        [];
    const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    const native = resources.filter((r) => /^(hyperv|hvnoop):index:/.test(r.type));
    const program = dynamic.length + native.length;
    return {
        stateBytesPerResource: program ? Math.round(Buffer.byteLength(text) / program) : 0,
        providersRequired: native.length > 0 || (dynamic.length > 0 && dynamic.every((r) => /require\(/.test(r.inputs?.__provider ?? ""))),
    };
}

async function measured(run: () => Promise<unknown>): Promise<Measured> {
    const watch = watchProcessTree();
    const start = process.hrtime.bigint();
    const usage = await run().then(
        () => watch.stop(),
        (e: unknown) => {
            watch.stop();
            throw e;
        },
    );
    const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { wallSeconds: Math.round(wallSeconds * 100) / 100, ...usage };
}

/** up, no-change up and refresh of one fresh stack; the stack and its lab are removed afterwards. */
export async function measureStack(mode: Mode, vms: number, round: number, workRoot: string): Promise<EngineMeasurement[]> {
    const { stack, workDir } = await fleetStack(mode, vms, workRoot);
    const base = { mode, vms, resources: vms * 3, round };
    const out: EngineMeasurement[] = [];
    try {
        const up = await measured(async () => {
            const res = await stack.up();
            if (res.summary.result !== "succeeded") throw new Error(`${mode} up of ${vms} VMs: ${res.summary.result}`);
        });
        out.push({ ...base, op: "up", ...up, ...stateOf(workDir) });
        const again = await measured(async () => {
            const res = await stack.up();
            const changed = Object.entries(res.summary.resourceChanges ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);
            if (changed.length > 0) throw new Error(`${mode}: the second up changed something: ${JSON.stringify(res.summary.resourceChanges)}`);
        });
        out.push({ ...base, op: "up (no changes)", ...again, ...stateOf(workDir) });
        const refresh = await measured(() => stack.refresh());
        out.push({ ...base, op: "refresh", ...refresh, ...stateOf(workDir) });
    } finally {
        fs.rmSync(workDir, { recursive: true, force: true });
    }
    return out;
}

/** Every size, `rounds` times, the sides alternating (and reversing their order each round). */
export async function measureEngine(
    sizes: number[],
    rounds: number,
    log: (line: string) => void,
    sides: readonly Mode[] = ["floor", "floor-quiet", "ours", ...NATIVE_MODES],
): Promise<EngineMeasurement[]> {
    const workRoot = path.join(repoRoot, "bench-results", "work");
    fs.mkdirSync(workRoot, { recursive: true });
    const all: EngineMeasurement[] = [];
    for (const vms of sizes) {
        for (let round = 0; round < rounds; round++) {
            const modes: Mode[] = [...sides];
            const order = round % 2 === 0 ? modes : modes.reverse();
            for (const mode of order) {
                const results = await measureStack(mode, vms, round, workRoot);
                for (const r of results)
                    log(
                        `engine ${mode} N=${vms} round ${round + 1}: ${r.op} ${r.wallSeconds}s, ${r.peakRssMb} MB, state ${r.stateBytesPerResource} B/resource`,
                    );
                all.push(...results);
            }
        }
    }
    return all;
}
