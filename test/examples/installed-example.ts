import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, type ConfigMap, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { repoRoot, type OperationResult, type Step } from "../e2e/harness";
import { leanStack } from "../e2e/lean-stack";

/*
 * The examples, installed the way a user installs this package: `npm pack` of the built
 * repository, then `npm install` of each example's package.json with its hyperv-checkpoints
 * dependency pointed at that tarball. The work folders sit outside the repository, so nothing can
 * resolve from the repository's node_modules by accident: the dynamic provider's
 * `require("hyperv-checkpoints/provider")` works only if the tarball ships it.
 */

const run = promisify(execFile);
export const examplesDir = path.join(repoRoot, "examples");

/** One temporary folder per test process for the tarball and the installed examples. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "hyperv-checkpoints-examples-"));
process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));

let packed: Promise<PackedPackage> | undefined;

export interface PackedPackage {
    tarball: string;
    /** The paths inside the tarball, as `npm pack` reported them. */
    files: string[];
}

/** `npm pack` of the repository (built beforehand by `npm test`'s pretest), once per test run. */
export function packOnce(): Promise<PackedPackage> {
    packed ??= (async () => {
        const dest = path.join(scratch, "pack");
        fs.mkdirSync(dest);
        // --ignore-scripts: `prepack` would rebuild dist under the running tests; npm test has just built it.
        const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], { cwd: repoRoot, maxBuffer: 16 << 20 });
        const [report] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
        return { tarball: path.join(dest, report!.filename), files: report!.files.map((f) => f.path) };
    })();
    return packed;
}

const installs = new Map<string, Promise<string>>();

/** The example programs (examples/policy-pack is a policy pack, run by its own tests). */
export const exampleNames = fs
    .readdirSync(examplesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(examplesDir, e.name, "package.json")) && e.name !== "policy-pack")
    .map((e) => e.name);

/**
 * Copies examples/<name> to a work folder and installs its package.json, with hyperv-checkpoints
 * from the tarball; once per example per test run. The first call starts every example's install
 * at once, so later test files find theirs done (in a serial run). Resolves to the work folder.
 */
export function installExample(name: string): Promise<string> {
    // Run side by side (`mocha --parallel`), each worker would install every example: there the
    // other workers give the overlap, and a file installs only its own.
    if (installs.size === 0 && process.env.MOCHA_WORKER_ID === undefined) {
        for (const other of exampleNames) {
            // Awaited by the example's own tests; a failure surfaces there, not as an unhandled rejection.
            startInstall(other).catch(() => undefined);
        }
    }
    return startInstall(name);
}

function startInstall(name: string): Promise<string> {
    let install = installs.get(name);
    if (!install) {
        install = (async () => {
            const { tarball } = await packOnce();
            const workDir = path.join(scratch, name);
            fs.cpSync(path.join(examplesDir, name), workDir, {
                recursive: true,
                filter: (src) => !/[\\/](node_modules|\.pulumi-state)$|[\\/]Pulumi\.[^\\/]+\.yaml$/.test(src),
            });
            const manifestPath = path.join(workDir, "package.json");
            const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { dependencies: Record<string, string> };
            if (!manifest.dependencies["hyperv-checkpoints"]?.startsWith("file:")) {
                throw new Error(`examples/${name}/package.json must depend on hyperv-checkpoints through a file: tarball`);
            }
            manifest.dependencies["hyperv-checkpoints"] = `file:${tarball}`;
            fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
            await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: workDir, maxBuffer: 16 << 20 });
            return workDir;
        })();
        installs.set(name, install);
    }
    return install;
}

/** One PULUMI_HOME for all test stacks, as the e2e harness does: plugins and engine locks live there. */
function pulumiHome(): string {
    const home = process.env.PULUMI_HOME ?? path.join(os.tmpdir(), "hyperv-checkpoints-pulumi-home");
    fs.mkdirSync(home, { recursive: true });
    return home;
}

/** The environment of a throw-away stack on a file backend in `stateDir`. */
export function stackEnv(stateDir: string): Record<string, string> {
    return {
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: "examples-test-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_HOME: pulumiHome(),
        // Type-checking each run of a program (ts-node's default) costs about 3 CPU-s a run: here
        // ts-node only transpiles, in the engine's program and in a CLI run through ts-node. That
        // each example type-checks against the tarball's types as installed is test/newcomer's
        // job: it runs every example's walk-through as README says, with ts-node's default.
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        TS_NODE_TRANSPILE_ONLY: "true",
    };
}

/** An installed example program as a throw-away stack, driven through the Automation API. */
export class ExampleStack {
    private constructor(
        readonly stack: Stack,
        readonly workDir: string,
    ) {}

    static async create(workDir: string, config: ConfigMap): Promise<ExampleStack> {
        const stateDir = fs.mkdtempSync(path.join(scratch, "state-"));
        const stack = leanStack(
            await LocalWorkspace.createOrSelectStack(
                { stackName: `test${path.basename(stateDir).replace(/\W/g, "")}`, workDir },
                { envVars: stackEnv(stateDir) },
            ),
        );
        await stack.setAllConfig(config);
        return new ExampleStack(stack, workDir);
    }

    async up(): Promise<OperationResult> {
        const events: EngineEvent[] = [];
        const res = await this.stack.up({ onEvent: (e) => events.push(e) });
        return result(events, Object.fromEntries(Object.entries(res.outputs).map(([k, v]) => [k, v.value])), res.stdout);
    }

    async destroy(): Promise<OperationResult> {
        const events: EngineEvent[] = [];
        const res = await this.stack.destroy({ onEvent: (e) => events.push(e) });
        return result(events, {}, res.stdout);
    }

    async dispose(): Promise<void> {
        await this.stack.workspace.removeStack(this.stack.name, { force: true });
        for (const f of fs.readdirSync(this.workDir)) {
            if (f === `Pulumi.${this.stack.name}.yaml`) fs.rmSync(path.join(this.workDir, f));
        }
    }
}

function result(events: EngineEvent[], outputs: Record<string, unknown>, stdout: string): OperationResult {
    const steps: Step[] = [];
    for (const e of events) {
        const meta = e.resourcePreEvent?.metadata;
        if (!meta || meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("pulumi:providers:")) continue;
        steps.push({ op: meta.op, type: meta.type, urn: meta.urn, name: meta.urn.split("::").pop() ?? meta.urn });
    }
    return { steps, changes: steps.filter((s) => s.op !== "same" && s.op !== "read"), events, outputs, stdout };
}

/** Runs a command of an installed example (e.g. its ts-node CLI); never throws on a non-zero exit. */
export async function runIn(
    workDir: string,
    file: string,
    args: string[],
    env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await run(file, args, { cwd: workDir, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
        return { code: 0, stdout, stderr };
    } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        if (typeof e.code !== "number") throw err;
        return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
}

export { scratch };
