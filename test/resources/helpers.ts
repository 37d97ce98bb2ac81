import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { addVm, journalPath, initLab, readLab, type InitLabOptions, type LabDocument, type NewVm } from "../../provider/lab";
import { updateLab } from "../../provider/lab/store";
import { configure, hostFor, type Vm } from "../../provider";
import { useHostFactory } from "../../provider/root";
import { observeHostCalls } from "../host/observed-hosts";
import type { AppliedCheckpointSettings } from "../../provider/host";

/*
 * Drives a dynamic provider in process as the Pulumi engine does: check the declaration, then
 * create, read, diff and update with the previous outputs as olds, then delete. Each test gets its
 * own lab folder and configures the provider for it through `configure`, as the stack would.
 */

export type Props = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: one helper drives both providers, whose outputs differ; `olds` is what the test stored
export type Provider = pulumi.dynamic.ResourceProvider<Props, any>;

/** What the engine would send for a value it does not know yet (preview). */
export { unknownValue as UNKNOWN } from "@pulumi/pulumi/runtime/rpc";

const created: string[] = [];

export interface Lab {
    folder: string;
    /** The VMs added, by name, as the host reported them on creation. */
    vms: Record<string, Vm>;
}

/** A fresh lab holding exactly `vms`, with the provider configured for it (hyperv:host = lab:<folder>). */
export async function labWith(vms: NewVm[], options: InitLabOptions = {}): Promise<Lab> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "hyperv-resources-test-"));
    created.push(folder);
    await initLab(folder, options);
    const added: Record<string, Vm> = {};
    for (const spec of vms) added[spec.name] = await addVm(folder, spec);
    configure({ get: (k) => (k === "hyperv:host" ? `lab:${folder}` : undefined) });
    return { folder, vms: added };
}

export function removeLabs(): void {
    useHostFactory(undefined);
    for (const folder of created.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
}

/** The lab journal as stored, for "nothing changed" assertions (byte for byte): an operation that changes nothing appends nothing. */
export function journalText(lab: Lab): string {
    return fs.readFileSync(journalPath(lab.folder), "utf8");
}

export function labVm(lab: Lab, name: string): LabDocument["vms"][number] {
    const vm = readLab(lab.folder).vms.find((v) => v.name === name);
    assert.ok(vm, `no VM named ${name} in the lab`);
    return vm;
}

/** Checkpoints of one VM in the lab, in creation order. */
export function labCheckpoints(lab: Lab, vmName: string): LabDocument["checkpoints"] {
    const vm = labVm(lab, vmName);
    return readLab(lab.folder).checkpoints.filter((c) => c.vmId === vm.id);
}

/** The host the provider talks to for this lab (same object the resources use). */
export function hostOf(): ReturnType<typeof hostFor> {
    return hostFor(undefined);
}

/** The engine's check: returns the failures (empty when the declaration is valid). */
export async function checkFailures(provider: Provider, news: Props, olds: Props = {}): Promise<{ property: string; reason: string }[]> {
    const result = await provider.check!(olds, news);
    return result.failures ?? [];
}

/** The engine's check, which must pass; returns the inputs it hands on. */
export async function checked(provider: Provider, news: Props, olds: Props = {}): Promise<Props> {
    const result = await provider.check!(olds, news);
    assert.deepEqual(result.failures ?? [], [], "check should pass");
    assert.ok(result.inputs, "check returns the inputs");
    return result.inputs as Props;
}

export interface State {
    id: string;
    outs: Props;
}

/** check → create, as `pulumi up` does for a new resource. */
export async function create(provider: Provider, news: Props): Promise<State> {
    const inputs = await checked(provider, news);
    const result = await provider.create(inputs);
    assert.ok(result.id, "create returns an id");
    return { id: result.id, outs: result.outs as Props };
}

/** `pulumi refresh`: the outputs as the host has them, or undefined when the resource is gone. */
export async function read(provider: Provider, state: State): Promise<State | undefined> {
    const result = await provider.read!(state.id, state.outs);
    if (result.id === undefined && result.props === undefined) return undefined;
    assert.equal(result.id, state.id, "read keeps the id");
    return { id: result.id!, outs: result.props as Props };
}

/** check → diff, with the previous outputs as olds. */
export async function diff(provider: Provider, state: State, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const inputs = await checked(provider, news, state.outs);
    return provider.diff!(state.id, state.outs, inputs);
}

/** check → diff → update, as `pulumi up` does for a changed resource; asserts the diff asks for an in-place update. */
export async function update(provider: Provider, state: State, news: Props): Promise<State> {
    const inputs = await checked(provider, news, state.outs);
    const d = await provider.diff!(state.id, state.outs, inputs);
    assert.equal(d.changes, true, "the diff should report changes");
    assert.deepEqual(d.replaces ?? [], [], "the diff should not replace");
    const result = await provider.update!(state.id, state.outs, inputs);
    return { id: state.id, outs: result.outs as Props };
}

export async function destroy(provider: Provider, state: State): Promise<void> {
    await provider.delete!(state.id, state.outs);
}

/** Asserts that `action` fails, with a message matching every pattern; returns the message. */
export async function failsWith(action: () => Promise<unknown>, ...patterns: RegExp[]): Promise<string> {
    let message: string | undefined;
    try {
        await action();
    } catch (e) {
        message = e instanceof Error ? e.message : String(e);
    }
    assert.ok(message !== undefined, "expected the call to fail, but it succeeded");
    for (const p of patterns) assert.match(message, p);
    return message;
}

/** A readable error is one line that names the host: no stack, no newline, no raw JSON. */
export function assertOneReadableLine(message: string, lab: Lab): void {
    assert.doesNotMatch(message, /\n/, "one line");
    assert.ok(message.includes(lab.folder), `names the host (${lab.folder}): ${message}`);
    assert.doesNotMatch(message, /^\s*[{[]/, "not raw output");
}

export function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Removes a VM and its checkpoints behind the provider's back (Remove-VM on the host). */
export async function removeVmOutOfBand(lab: Lab, vmId: string): Promise<void> {
    await updateLab(lab.folder, { operation: "removeVm" }, (doc) => {
        doc.vms = doc.vms.filter((v) => v.id !== vmId);
        doc.checkpoints = doc.checkpoints.filter((c) => c.vmId !== vmId);
    });
}

const MUTATIONS = [
    "applyCheckpointSettings",
    "takeCheckpoint",
    "applyCheckpoint",
    "renameCheckpoint",
    "removeCheckpoint",
    "startVm",
    "suspendVm",
    "resumeVm",
] as const;

export interface HostWrite {
    method: string;
    args: unknown[];
    /** For applyCheckpointSettings: the settings the host actually changed. */
    changed?: Record<string, unknown>;
}

/** The settings that differ between the VM before and after a settings call. */
function changedSettings({ before, after }: AppliedCheckpointSettings): Record<string, unknown> {
    const fields = ["checkpointType", "checkpointFileLocation", "automaticCheckpointsEnabled"] as const;
    const changed: Record<string, unknown> = Object.fromEntries(fields.filter((f) => before[f] !== after[f]).map((f) => [f, after[f]]));
    if (before.backupService?.enabled !== after.backupService?.enabled) changed.backupIntegrationEnabled = after.backupService?.enabled;
    return changed;
}

/** Every port call that reaches the host from now on (capabilities, read once per host, not counted), in the order asked. */
export function recordHostCalls(): string[] {
    const methods: string[] = [];
    observeHostCalls((method) => {
        if (method !== "capabilities") methods.push(method);
        return undefined;
    });
    return methods;
}

/**
 * Records every change the resources make from now on, in the order they finish: a call the host
 * refused, or a settings call that found nothing to change, is no write.
 */
export function recordWrites(): HostWrite[] {
    const calls: HostWrite[] = [];
    observeHostCalls((method, args) => (settled) => {
        if (!(MUTATIONS as readonly string[]).includes(method)) return;
        settled.then(
            (result) => {
                if (method !== "applyCheckpointSettings") calls.push({ method, args });
                else {
                    const changed = changedSettings(result as AppliedCheckpointSettings);
                    if (Object.keys(changed).length > 0) calls.push({ method, args, changed });
                }
            },
            () => undefined,
        );
    });
    return calls;
}
