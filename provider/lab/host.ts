import * as path from "node:path";
import { HostError, type ErrorContext } from "../host/errors";
import { guardRefusal } from "../host/take-guard";
import { mergeWords } from "../host/merge-outcome";
import type {
    AppliedCheckpointSettings,
    Checkpoint,
    CheckpointRemoval,
    DesiredCheckpointSettings,
    HostCapabilities,
    TakeCheckpointRequest,
    TakenCheckpoint,
    Vm,
    VmRef,
    VmWithCheckpoints,
} from "../host/model";
import type { HyperVHost } from "../host/port";
import { refuseUnsendable } from "../host/text";
import { applyCheckpoint, checkpointVm, removeCheckpoint, renameCheckpoint } from "./checkpoints";
import type { LabDocument, LabVm } from "./document";
import { findCheckpoint, resolveVm, scopeOf } from "./lookup";
import { capabilitiesOf } from "./os";
import { checkpointsOf } from "./doc-index";
import { projectCheckpoint, projectVm } from "./projection";
import type { FailureScope } from "./refusals";
import { resumeVm, startVm, suspendVm } from "./power";
import { applyDesiredSettings } from "./settings";
import { spendTime } from "./latency";
import { nodeNamed, refuseIfDown, refuseIfMigrating } from "./cluster";
import { loadLab, readLab, updateLab, type Transaction } from "./store";
import { storageOf } from "./volume-space";
import { mergeProgress } from "./merges";

/**
 * The simulated Hyper-V host: a lab folder behind the HyperVHost port. Each call takes as long as
 * the lab's latency profile says, and each mutation is one locked transaction on the lab's journal
 * (store.ts), so several processes may share a lab.
 */
export class LabHost implements HyperVHost {
    readonly displayName: string;
    readonly folder: string;

    /** A lab has no Get-VM to run: its VMs are listed by its CLI. */
    private readonly hints: FailureScope["hints"];

    /** On a cluster lab: the node this host is (its Get-VM lists the VMs it owns). */
    readonly node: string | undefined;

    constructor(folder: string, node?: string) {
        this.folder = path.resolve(folder);
        this.node = node;
        this.displayName = node === undefined ? `lab ${this.folder}` : `lab ${this.folder} node ${node}`;
        this.hints = { VmNotFound: `check the VM's name or id: \`npx hyperv-lab --lab ${this.folder} show\` lists the lab's VMs` };
    }

    async capabilities(): Promise<HostCapabilities> {
        const doc = loadLab(this.folder);
        this.refuseIfDown(doc, "get capabilities");
        return capabilitiesOf(doc.host.os, this.node ?? doc.host.computerName);
    }

    async getVm(ref: VmRef): Promise<Vm> {
        refuseUnsendable({ ...ref }, this.context("get VM"));
        return this.read("get VM", (doc, scope) => projectVm(doc, resolveVm(doc, ref, scope, this.node)));
    }

    async getVmWithCheckpoints(ref: VmRef): Promise<VmWithCheckpoints> {
        refuseUnsendable({ ...ref }, this.context("get VM"));
        return this.read("get VM", (doc, scope) => {
            const vm = resolveVm(doc, ref, scope, this.node);
            return { vm: projectVm(doc, vm), checkpoints: checkpointsOf(doc, vm.id).map((c) => projectCheckpoint(vm, c)), storage: storageOf(doc, vm) };
        });
    }

    async applyCheckpointSettings(ref: VmRef, desired: DesiredCheckpointSettings): Promise<AppliedCheckpointSettings> {
        refuseUnsendable({ ...ref, checkpointFileLocation: desired.checkpointFileLocation }, this.context("apply checkpoint settings"));
        return this.mutate("applyCheckpointSettings", "apply checkpoint settings", ref, (doc, tx, vm, scope) => {
            tx.spend({ operation: "setVm" });
            return { ...applyDesiredSettings(doc, vm, desired, scope), storage: storageOf(doc, vm) };
        });
    }

    async takeCheckpoint(ref: VmRef, request: TakeCheckpointRequest): Promise<TakenCheckpoint> {
        refuseUnsendable({ ...ref, checkpointName: request.name }, this.context("take checkpoint"));
        return this.mutate("takeCheckpoint", "take checkpoint", ref, (doc, tx, vm, scope) => {
            scope.context.checkpoint = request.name;
            const guard = request.guard;
            const refuseBeyondGuard = (writesMemory: boolean) => {
                const refusal = guard && guardRefusal(projectVm(doc, vm), storageOf(doc, vm), writesMemory, guard);
                if (refusal) throw new HostError(refusal.code, refusal.detail, scope.context);
            };
            return checkpointVm(doc, tx, vm, { name: request.name, temporaryType: request.temporaryType, guard: refuseBeyondGuard }, scope);
        });
    }

    async applyCheckpoint(vmId: string, checkpointId: string, options: { start?: boolean } = {}): Promise<Vm> {
        return this.mutate("applyCheckpoint", "apply checkpoint", { id: vmId }, (doc, tx, vm, scope) => {
            scope.context.checkpointId = checkpointId;
            applyCheckpoint(doc, tx, vm, findCheckpoint(doc, vm, checkpointId, scope), options, scope);
            return projectVm(doc, vm);
        });
    }

    async renameCheckpoint(vmId: string, checkpointId: string, newName: string): Promise<Checkpoint> {
        refuseUnsendable({ newName }, this.context("rename checkpoint", vmId));
        return this.mutate("renameCheckpoint", "rename checkpoint", { id: vmId }, (doc, tx, vm, scope) => {
            scope.context.checkpointId = checkpointId;
            const cp = findCheckpoint(doc, vm, checkpointId, scope);
            renameCheckpoint(tx, vm, cp, newName, scope);
            return projectCheckpoint(vm, cp);
        });
    }

    async removeCheckpoint(vmId: string, checkpointId: string): Promise<CheckpointRemoval> {
        return this.mutate("removeCheckpoint", "remove checkpoint", { id: vmId }, (doc, tx, vm, scope) => {
            scope.context.checkpointId = checkpointId;
            const cp = findCheckpoint(doc, vm, checkpointId, scope);
            // The provider's rule, as the PowerShell removal checks it before Remove-VMSnapshot: a merge that never comes is not waited for.
            if (!vm.diskMergeEnabled) throw new HostError("MergeDisabled", mergeWords.MergeDisabled, scope.context);
            removeCheckpoint(doc, tx, vm, cp, scope);
            const merge = mergeProgress(vm);
            return merge ? { merge } : {};
        });
    }

    async startVm(vmId: string): Promise<Vm> {
        return this.mutate("startVm", "start VM", { id: vmId }, (doc, tx, vm, scope) => {
            startVm(doc, tx, vm, scope);
            return projectVm(doc, vm);
        });
    }

    async suspendVm(vmId: string): Promise<Vm> {
        return this.mutate("suspendVm", "suspend VM", { id: vmId }, (doc, _tx, vm, scope) => {
            suspendVm(doc, vm, scope);
            return projectVm(doc, vm);
        });
    }

    async resumeVm(vmId: string): Promise<Vm> {
        return this.mutate("resumeVm", "resume VM", { id: vmId }, (doc, _tx, vm, scope) => {
            resumeVm(doc, vm, scope);
            return projectVm(doc, vm);
        });
    }

    private refuseIfDown(doc: LabDocument, operation: string): void {
        if (this.node !== undefined) refuseIfDown(doc, this.node, { host: this.folder, operation });
    }

    async dispose(): Promise<void> {
        // Nothing is held between calls: every call takes and releases the lock itself.
    }

    private context(operation: string, vmId?: string): ErrorContext {
        return vmId === undefined ? { host: this.displayName, operation } : { host: this.displayName, vmId, operation };
    }

    /** A Get-VM or Get-VMSnapshot: answered from the lab as it is when the host's read time is spent. */
    private async read<T>(operation: string, run: (doc: LabDocument, scope: FailureScope) => T): Promise<T> {
        await spendTime([{ operation: "read" }], loadLab(this.folder).host.latency);
        const doc = loadLab(this.folder);
        this.refuseIfDown(doc, operation);
        return run(doc, scopeOf(doc, this.context(operation), this.hints));
    }

    /**
     * One mutation of a VM. A VM named by name is resolved first to claim it by id (Hyper-V's
     * one-operation-per-VM rule); the mutation then acts on the VM it claimed.
     */
    private mutate<T>(name: string, operation: string, ref: VmRef, run: (doc: LabDocument, tx: Transaction, vm: LabVm, scope: FailureScope) => T): Promise<T> {
        const doc = loadLab(this.folder);
        this.refuseIfDown(doc, operation);
        const vmId = resolveVm(doc, ref, scopeOf(doc, this.context(operation, "id" in ref ? ref.id : undefined), this.hints), this.node).id;
        return updateLab(this.folder, { operation: name, vmId }, (current, tx) => {
            // The lab may have changed while the operation waited its turn: the node may have
            // gone down, the VM may have moved away or begun to move.
            this.refuseIfDown(current, operation);
            const scope = scopeOf(current, this.context(operation, "id" in ref ? ref.id : undefined), this.hints);
            const vm = resolveVm(current, { id: vmId }, scope, this.node);
            refuseIfMigrating(vm, scope);
            return run(current, tx, vm, scope);
        });
    }
}

/** Opens the lab in `folder` as a Hyper-V host; the folder must hold a lab (see initLab). */
export function openLabHost(folder: string): LabHost {
    readLab(folder);
    return new LabHost(folder);
}

/** Opens one node of the cluster lab in `folder`, as a host of its own. */
export function openLabNode(folder: string, node: string): LabHost {
    const doc = readLab(folder);
    const name = nodeNamed(doc, node, { host: path.resolve(folder), operation: "open node" }).name;
    return new LabHost(folder, name);
}
