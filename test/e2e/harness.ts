import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type ConfigMap, type EngineEvent, type OpType, type Stack } from "@pulumi/pulumi/automation";
import { leanStack } from "./lean-stack";

/** The repository root, found from the compiled file (dist/test/e2e) or the source (test/e2e). */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
    for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "provider"))) return dir;
    }
    throw new Error(`cannot find the repository root above ${start}`);
}

/** One engine step, as the engine reported it. */
export interface Step {
    op: OpType;
    type: string;
    name: string;
    urn: string;
}

export interface OperationResult {
    steps: Step[];
    /** Steps that did something (everything but "same" and "read"). */
    changes: Step[];
    events: EngineEvent[];
    outputs: Record<string, unknown>;
    stdout: string;
}

export interface TestStackOptions {
    /** A program folder: its files are copied to a throw-away work folder. */
    program: string;
    /** Stack configuration, e.g. { "hyperv:host": { value: "lab:/tmp/x" } }. */
    config?: ConfigMap;
    /** Extra environment for the engine and the programs it runs. */
    env?: Record<string, string>;
}

/**
 * A throw-away stack on a local file backend, driven through the Automation API, so e2e tests run
 * the real engine: language host, closure serialisation, dynamic provider process, state file.
 *
 * The program runs from a copy under <repo>/.e2e/, with this package linked into its
 * node_modules, so that `require("hyperv-checkpoints/...")` resolves as in a user's program.
 */
export class TestStack {
    readonly workDir: string;
    readonly stateDir: string;
    private constructor(
        readonly stack: Stack,
        workDir: string,
        stateDir: string,
    ) {
        this.workDir = workDir;
        this.stateDir = stateDir;
    }

    static async create(options: TestStackOptions): Promise<TestStack> {
        const base = path.join(repoRoot, ".e2e");
        fs.mkdirSync(base, { recursive: true });
        const workDir = fs.mkdtempSync(path.join(base, `${path.basename(options.program)}-`));
        copyProgram(options.program, workDir);
        const modules = path.join(workDir, "node_modules");
        fs.mkdirSync(modules, { recursive: true });
        fs.symlinkSync(repoRoot, path.join(modules, "hyperv-checkpoints"), "dir");
        const stateDir = path.join(workDir, ".state");
        fs.mkdirSync(stateDir);
        const stack = leanStack(
            await LocalWorkspace.createOrSelectStack(
                { stackName: "test", workDir },
                {
                    envVars: {
                        PULUMI_BACKEND_URL: `file://${stateDir}`,
                        PULUMI_CONFIG_PASSPHRASE: "e2e-test-passphrase",
                        PULUMI_SKIP_UPDATE_CHECK: "true",
                        PULUMI_HOME: pulumiHome(),
                        // The build's tsc already type-checks every test program; ts-node need only transpile.
                        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
                        ...options.env,
                    },
                },
            ),
        );
        if (options.config) await stack.setAllConfig(options.config);
        return new TestStack(stack, workDir, stateDir);
    }

    async preview(extra: { policyPacks?: string[] } = {}): Promise<OperationResult> {
        const events: EngineEvent[] = [];
        const res = await this.stack.preview({ onEvent: (e) => events.push(e), ...extra });
        return result(events, {}, res.stdout);
    }

    /** `onEvent` sees each engine event as it comes (a test acting at a given step of the `up`); `target`: `pulumi up --target` these URNs. */
    async up(extra: { policyPacks?: string[]; onEvent?: (e: EngineEvent) => void; target?: string[] } = {}): Promise<OperationResult> {
        const events: EngineEvent[] = [];
        const { onEvent, ...options } = extra;
        const res = await this.stack.up({
            onEvent: (e) => {
                events.push(e);
                onEvent?.(e);
            },
            ...options,
        });
        const outputs = Object.fromEntries(Object.entries(res.outputs).map(([k, v]) => [k, v.value]));
        return result(events, outputs, res.stdout);
    }

    async refresh(): Promise<OperationResult> {
        const events: EngineEvent[] = [];
        const res = await this.stack.refresh({ onEvent: (e) => events.push(e) });
        return result(events, {}, res.stdout);
    }

    async destroy(): Promise<OperationResult> {
        const events: EngineEvent[] = [];
        const res = await this.stack.destroy({ onEvent: (e) => events.push(e) });
        return result(events, {}, res.stdout);
    }

    /** The stack's checkpointed state, as the engine wrote it. */
    async exportState(): Promise<string> {
        return JSON.stringify(await this.stack.exportStack());
    }

    async dispose(): Promise<void> {
        try {
            await this.stack.workspace.removeStack("test", { force: true });
        } finally {
            fs.rmSync(this.workDir, { recursive: true, force: true });
        }
    }
}

/** One PULUMI_HOME for all test stacks: the engine keeps plugins and its lock files there. */
function pulumiHome(): string {
    const home = process.env.PULUMI_HOME ?? path.join(os.tmpdir(), "hyperv-checkpoints-pulumi-home");
    fs.mkdirSync(home, { recursive: true });
    return home;
}

function copyProgram(from: string, to: string): void {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        if (entry.name === "node_modules" || (entry.name.startsWith("Pulumi.") && entry.name !== "Pulumi.yaml")) continue;
        fs.cpSync(path.join(from, entry.name), path.join(to, entry.name), { recursive: true });
    }
}

function result(events: EngineEvent[], outputs: Record<string, unknown>, stdout: string): OperationResult {
    const steps: Step[] = [];
    for (const e of events) {
        const meta = e.resourcePreEvent?.metadata;
        // The stack and the default provider are the engine's own bookkeeping, not the program's resources.
        if (!meta || meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("pulumi:providers:")) continue;
        steps.push({ op: meta.op, type: meta.type, urn: meta.urn, name: meta.urn.split("::").pop() ?? meta.urn });
    }
    return { steps, changes: steps.filter((s) => s.op !== "same" && s.op !== "read"), events, outputs, stdout };
}

/** The ops the engine reported for each resource name, e.g. { web: ["create"] }. */
export function opsByName(res: OperationResult): Record<string, OpType[]> {
    const out: Record<string, OpType[]> = {};
    for (const s of res.steps) (out[s.name] ??= []).push(s.op);
    return out;
}

/**
 * Runs one named step of a test whose steps share state (one stack brought up, changed, destroyed):
 * the steps stay one test, so `--grep` of it runs them all in order, and a failure names its step.
 */
export async function step<T>(name: string, body: () => Promise<T> | T): Promise<T> {
    try {
        return await body();
    } catch (e) {
        if (e instanceof Error) {
            const prefix = `step "${name}": `;
            // The stack trace repeats the message; mocha prints the stack, so prefix it there too.
            if (e.stack?.includes(e.message)) e.stack = e.stack.replace(e.message, prefix + e.message);
            e.message = prefix + e.message;
        }
        throw e;
    }
}

/** The error an operation failed with (the engine's whole output, as the Automation API reports it). */
export async function failureOf(run: () => Promise<unknown>): Promise<string> {
    try {
        await run();
    } catch (e) {
        return String((e as Error).message);
    }
    assert.fail("the operation was expected to fail");
}
