import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { addVm, initLab, readLab, type LabDocument } from "../../../provider/lab";
import { labPathOf } from "../../../provider/lab";
import { repoRoot, TestStack, type OperationResult } from "../../e2e/harness";

/** The e2e program that declares policies and checkpoints from stack configuration. */
export const declaredProgram = path.join(repoRoot, "test", "e2e", "programs", "declared");

/** A fresh, empty lab (no VMs) in a throw-away folder under .e2e/. */
export async function emptyLab(vms: string[] = []): Promise<string> {
    const base = path.join(repoRoot, ".e2e");
    fs.mkdirSync(base, { recursive: true });
    const lab = fs.mkdtempSync(path.join(base, "lab-"));
    await initLab(lab, {});
    for (const name of vms) await addVm(lab, { name, state: "Running", version: "9.0", checkpointType: "Standard" });
    return lab;
}

/** What an engine operation printed, both streams, and whether it failed. */
export interface Captured {
    ok: boolean;
    output: string;
    error?: Error;
    result?: OperationResult;
}

export interface LabStackOptions {
    lab: string;
    config?: ConfigMap;
    env?: Record<string, string>;
}

/**
 * A TestStack of the `declared` program on a lab, with the operations the reliability suites need
 * beyond the harness: full output capture (engine logs included), failures returned instead of
 * thrown, and environment changes between operations (fault injection reaches the provider process
 * through the engine's environment).
 */
export class LabStack {
    private constructor(
        readonly test: TestStack,
        readonly lab: string,
    ) {}

    static async create(options: LabStackOptions): Promise<LabStack> {
        const test = await TestStack.create({
            program: declaredProgram,
            config: { "hyperv:host": { value: `lab:${options.lab}` }, ...options.config },
            ...(options.env ? { env: options.env } : {}),
        });
        return new LabStack(test, options.lab);
    }

    get stack() {
        return this.test.stack;
    }

    /** Declares the stack's checkpoints (resource name to Checkpoint arguments). */
    async declare(checkpoints: Record<string, unknown>, policies: Record<string, unknown> = {}): Promise<void> {
        await this.stack.setAllConfig({
            "e2e:policies": { value: JSON.stringify(policies) },
            "e2e:checkpoints": { value: JSON.stringify(checkpoints) },
        });
    }

    /** Sets (or with undefined, removes) an environment variable of the engine and provider process. */
    setEnv(name: string, value: string | undefined): void {
        const envVars = (this.stack.workspace as unknown as { envVars: Record<string, string> }).envVars;
        if (value === undefined) delete envVars[name];
        else envVars[name] = value;
    }

    /**
     * Runs the pulumi CLI on this stack as a user would (the Automation API's exportStack adds
     * --show-secrets, which a user's `pulumi stack export` does not).
     */
    cli(...args: string[]): { status: number | null; output: string } {
        const envVars = (this.stack.workspace as unknown as { envVars: Record<string, string> }).envVars;
        const run = spawnSync("pulumi", [...args, "--stack", "test", "--non-interactive"], {
            cwd: this.test.workDir,
            env: { ...process.env, ...envVars },
            encoding: "utf8",
            timeout: 600_000,
        });
        return { status: run.status, output: `${run.stdout}${run.stderr}` };
    }

    async up(options: { verbose?: boolean } = {}): Promise<Captured> {
        return this.capture((onOutput, onError) => this.stack.up({ onOutput, onError, ...verbosity(options.verbose) }));
    }

    async preview(options: { verbose?: boolean } = {}): Promise<Captured> {
        return this.capture((onOutput, onError) => this.stack.preview({ onOutput, onError, ...verbosity(options.verbose) }));
    }

    async refresh(options: { verbose?: boolean; clearPendingCreates?: boolean } = {}): Promise<Captured> {
        return this.capture((onOutput, onError) =>
            this.stack.refresh({
                onOutput,
                onError,
                ...verbosity(options.verbose),
                ...(options.clearPendingCreates ? { clearPendingCreates: true } : {}),
            }),
        );
    }

    async destroy(): Promise<Captured> {
        return this.capture((onOutput, onError) => this.stack.destroy({ onOutput, onError }));
    }

    /** The resources in the stack's state, by type. */
    async resources(type?: string): Promise<StateResource[]> {
        const state = await this.stack.exportStack();
        const all = (state.deployment.resources ?? []) as StateResource[];
        return type ? all.filter((r) => r.type === type) : all;
    }

    async pendingOperations(): Promise<{ type: string; resource: StateResource }[]> {
        const state = await this.stack.exportStack();
        return (state.deployment.pending_operations ?? []) as { type: string; resource: StateResource }[];
    }

    /** Ids of the Checkpoint resources in the state (told apart by their checkpointName output). */
    async checkpointIds(): Promise<string[]> {
        return (await this.resources())
            .filter((r) => r.outputs?.checkpointName !== undefined)
            .map((r) => r.id!)
            .sort();
    }

    async dispose(): Promise<void> {
        await this.test.dispose();
    }

    private async capture(run: (onOutput: (s: string) => void, onError: (s: string) => void) => Promise<unknown>): Promise<Captured> {
        let output = "";
        const add = (s: string) => {
            output += s;
        };
        try {
            await run(add, add);
            return { ok: true, output };
        } catch (e) {
            const error = e as Error;
            return { ok: false, output: `${output}\n${error.message}`, error };
        }
    }
}

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

function verbosity(verbose: boolean | undefined) {
    return verbose ? { logVerbosity: 9, logToStdErr: true, debug: true } : {};
}

/**
 * The lab is valid: the document parses, every file it refers to exists, and every VM's disk chain
 * and parent checkpoint point at checkpoints that exist.
 */
export function assertLabValid(lab: string): LabDocument {
    const doc = readLab(lab);
    const ids = new Set(doc.checkpoints.map((c) => c.id));
    for (const cp of doc.checkpoints) {
        if (cp.parentId !== null && !ids.has(cp.parentId)) throw new Error(`checkpoint ${cp.id} has a missing parent ${cp.parentId}`);
    }
    for (const vm of doc.vms) {
        if (vm.parentCheckpointId !== null && !ids.has(vm.parentCheckpointId)) throw new Error(`VM ${vm.name} descends from a missing checkpoint`);
        for (const disk of vm.diskFiles) {
            if (!fs.existsSync(labPathOf(lab, disk.path))) throw new Error(`VM ${vm.name}'s disk ${disk.path} is missing`);
        }
    }
    return doc;
}

/** Checkpoints of one VM in the lab, by VM name. */
export function labCheckpointsOf(lab: string, vmName: string) {
    const doc = readLab(lab);
    const vm = doc.vms.find((v) => v.name === vmName);
    if (!vm) throw new Error(`no VM ${vmName} in ${lab}`);
    return doc.checkpoints.filter((c) => c.vmId === vm.id);
}
