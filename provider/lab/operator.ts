import { HostError } from "../host/errors";
import type { CheckpointSettingsChange, CheckpointType, SnapshotType, TakenCheckpoint, Vm, VmRef, VmState } from "../host/model";
import { applyCheckpoint, checkpointVm, removeCheckpoint, renameCheckpoint } from "./checkpoints";
import { labVmSchema, type LabCheckpoint, type LabDocument, type LabVm } from "./document";
import { writeToDisks } from "./files";
import { spendTime } from "./latency";
import { fail, type FailureScope } from "./refusals";
import { resolveVm, scopeOf } from "./lookup";
import { resumeVm, saveVm, startVm, stopVm, suspendVm } from "./power";
import { checkpointsOf } from "./doc-index";
import { projectVm } from "./projection";
import { setBackupIntegration, setCheckpointSettings } from "./settings";
import { loadLab, updateLab, type Transaction } from "./store";
import { createVm, type NewVm } from "./vms";
import { refuseIfDown, refuseIfMigrating } from "./cluster";

/*
 * What an administrator does on the host behind the provider's back (Hyper-V Manager, PowerShell):
 * add and change VMs, power them, take and remove checkpoints. Used by the `hyperv-lab` CLI and by
 * tests to create drift. Everything follows the same Hyper-V rules as the port.
 */

/** A checkpoint of one VM by id or by name; a repeated name must be given by id. */
export type CheckpointRef = { id: string } | { name: string };

/** What the operator may change on a VM; absent fields stay as they are. */
export interface VmChange extends CheckpointSettingsChange {
    name?: string;
    /** Any state, including transitional ones, to reproduce a host caught mid-operation. */
    state?: VmState;
    /** Update-VMVersion. */
    version?: string;
    backupServiceEnabled?: boolean;
    guestBackupResponding?: boolean;
    memoryMB?: number;
    /** Msvm_DiskMergeSettingData EnabledState: false, and Hyper-V merges none of the VM's disks. */
    diskMergeEnabled?: boolean;
}

type OperatorStep<T> = (doc: LabDocument, tx: Transaction, vm: LabVm, scope: FailureScope) => T;

/**
 * A VM as the operator names it; `node` acts as that node of a cluster lab would (the Hyper-V
 * stand-in module on one node): only on a VM that node owns, checked in the same transaction as
 * the change, so a VM that migrated away meanwhile is not found there and is changed nowhere.
 */
export type OperatorVmRef = VmRef & { node?: string };

/** Claims the VM by id (a name is resolved first), then acts on the VM it claimed. */
async function onVm<T>(labFolder: string, ref: OperatorVmRef, operation: string, step: OperatorStep<T>): Promise<T> {
    const doc = loadLab(labFolder);
    const vmId = resolveVm(doc, ref, scopeOf(doc, { host: labFolder, operation }), ref.node).id;
    return updateLab(labFolder, { operation, vmId }, (current, tx) => {
        const scope = scopeOf(current, { host: labFolder, operation });
        if (ref.node !== undefined) refuseIfDown(current, ref.node, scope.context);
        const vm = resolveVm(current, { id: vmId }, scope, ref.node);
        // On a cluster, the administrator reaches the VM through its owner node, and waits out a migration.
        if (vm.ownerNode !== null) refuseIfDown(current, vm.ownerNode, scope.context);
        refuseIfMigrating(vm, scope);
        return step(current, tx, vm, scope);
    });
}

/** The lab as a Get-VM or Get-VMSnapshot sees it: after the host's read time (the stand-in module's reads). */
export async function queryLab(labFolder: string): Promise<LabDocument> {
    await spendTime([{ operation: "read" }], loadLab(labFolder).host.latency);
    return loadLab(labFolder);
}

/** The guest writes `bytes` to its disks: what a later merge of those disks will copy. */
export async function writeToVm(labFolder: string, ref: VmRef, bytes: number): Promise<Vm> {
    return onVm(labFolder, ref, "writeToVm", (doc, _tx, vm) => {
        writeToDisks(vm, bytes);
        return projectVm(doc, vm);
    });
}

export async function addVm(labFolder: string, spec: NewVm): Promise<Vm> {
    return updateLab(labFolder, { operation: "addVm" }, (doc, tx) => projectVm(doc, createVm(doc, tx, spec)));
}

export async function setVm(labFolder: string, ref: OperatorVmRef, change: VmChange): Promise<Vm> {
    return onVm(labFolder, ref, "setVm", (doc, tx, vm, scope) => {
        const { name, state, version, backupServiceEnabled, guestBackupResponding, memoryMB, diskMergeEnabled, ...checkpointSettings } = change;
        tx.spend({ operation: "setVm" });
        setCheckpointSettings(doc, vm, checkpointSettings, scope);
        if (backupServiceEnabled !== undefined) setBackupIntegration(doc, vm, backupServiceEnabled, scope);
        if (name !== undefined) vm.name = name;
        if (state !== undefined) vm.state = state;
        if (version !== undefined) vm.version = version;
        if (guestBackupResponding !== undefined) vm.guestBackupResponding = guestBackupResponding;
        if (memoryMB !== undefined) vm.memoryMB = labVmSchema.shape.memoryMB.parse(memoryMB);
        if (diskMergeEnabled !== undefined) vm.diskMergeEnabled = diskMergeEnabled;
        return projectVm(doc, vm);
    });
}

export async function startLabVm(labFolder: string, ref: OperatorVmRef): Promise<Vm> {
    return onVm(labFolder, ref, "startVm", (doc, tx, vm, scope) => {
        startVm(doc, tx, vm, scope);
        return projectVm(doc, vm);
    });
}

export async function stopLabVm(labFolder: string, ref: VmRef, options: { turnOff?: boolean } = {}): Promise<Vm> {
    return onVm(labFolder, ref, "stopVm", (doc, tx, vm, scope) => {
        stopVm(doc, tx, vm, options, scope);
        return projectVm(doc, vm);
    });
}

export async function saveLabVm(labFolder: string, ref: VmRef): Promise<Vm> {
    return onVm(labFolder, ref, "saveVm", (doc, tx, vm, scope) => {
        saveVm(tx, vm, scope);
        return projectVm(doc, vm);
    });
}

export async function suspendLabVm(labFolder: string, ref: OperatorVmRef): Promise<Vm> {
    return onVm(labFolder, ref, "suspendVm", (doc, _tx, vm, scope) => {
        suspendVm(doc, vm, scope);
        return projectVm(doc, vm);
    });
}

export async function resumeLabVm(labFolder: string, ref: OperatorVmRef): Promise<Vm> {
    return onVm(labFolder, ref, "resumeVm", (doc, _tx, vm, scope) => {
        resumeVm(doc, vm, scope);
        return projectVm(doc, vm);
    });
}

export interface OperatorCheckpointRequest {
    name: string;
    /** Recovery, Replica... checkpoints that backup and replication software leave behind. */
    snapshotType?: SnapshotType;
    temporaryType?: Exclude<CheckpointType, "Disabled">;
}

export async function takeCheckpointOutOfBand(labFolder: string, ref: OperatorVmRef, request: OperatorCheckpointRequest): Promise<TakenCheckpoint> {
    return onVm(labFolder, ref, "takeCheckpoint", (doc, tx, vm, scope) => checkpointVm(doc, tx, vm, request, scope));
}

export async function renameLabCheckpoint(labFolder: string, ref: OperatorVmRef, cpRef: CheckpointRef, newName: string): Promise<void> {
    await onVm(labFolder, ref, "renameCheckpoint", (doc, tx, vm, scope) => renameCheckpoint(tx, vm, resolveCheckpoint(doc, vm, cpRef, scope), newName, scope));
}

export async function applyLabCheckpoint(labFolder: string, ref: OperatorVmRef, cpRef: CheckpointRef, options: { start?: boolean } = {}): Promise<Vm> {
    return onVm(labFolder, ref, "applyCheckpoint", (doc, tx, vm, scope) => {
        applyCheckpoint(doc, tx, vm, resolveCheckpoint(doc, vm, cpRef, scope), options, scope);
        return projectVm(doc, vm);
    });
}

export async function removeLabCheckpoint(labFolder: string, ref: OperatorVmRef, cpRef: CheckpointRef): Promise<void> {
    await onVm(labFolder, ref, "removeCheckpoint", (doc, tx, vm, scope) => removeCheckpoint(doc, tx, vm, resolveCheckpoint(doc, vm, cpRef, scope), scope));
}

function resolveCheckpoint(doc: LabDocument, vm: LabVm, ref: CheckpointRef, scope: FailureScope): LabCheckpoint {
    const all = checkpointsOf(doc, vm.id);
    const matches = "id" in ref ? all.filter((c) => c.id === ref.id.toLowerCase()) : all.filter((c) => c.name === ref.name);
    if (matches.length > 1) {
        throw new HostError(
            "HostFailure",
            `${matches.length} checkpoints of VM "${vm.name}" are named "${"name" in ref ? ref.name : ""}": ${matches.map((c) => c.id).join(", ")}`,
            scope.context,
            {
                hint: "name the checkpoint by id",
            },
        );
    }
    const found = matches[0];
    if (found) return found;
    if ("id" in ref) scope.context.checkpointId = ref.id;
    else scope.context.checkpoint = ref.name;
    throw fail.checkpointNotFound(scope);
}
