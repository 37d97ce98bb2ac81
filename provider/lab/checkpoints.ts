import { randomUUID } from "node:crypto";
import type { CheckpointKind, CheckpointType, SnapshotType, TakenCheckpoint, VmState } from "../host/model";
import { userSnapshotTypes } from "../host/model";
import { holdsMemory, isTransitional, MAX_CHECKPOINT_NAME_LENGTH, MAX_CHECKPOINTS_PER_VM } from "../host/rules";
import { firstTakeRefusal } from "../host/take-refusals";
import type { HostError } from "../host/errors";
import type { Behaviour, LabCheckpoint, LabDocument, LabVm } from "./document";
import { fail, type FailureScope } from "./refusals";
import { startMerge } from "./merges";
import { createDifferencingDisk, deleteCheckpointFiles, mergeUnreferenced, writeCheckpointFiles } from "./files";
import { recordEvent } from "./event-log";
import { osProfiles } from "./os";
import { checkpointHyperVMakes, type HyperVMakes } from "./production";
import { checkpointsOf } from "./doc-index";
import { projectCheckpoint, projectVm } from "./projection";
import type { HostWork } from "./latency";
import type { Transaction } from "./store";
import { driveOf, storageOf, takeShortfall, volumeOfDrive } from "./volume-space";

/*
 * Checkpoint-VM, Restore-VMSnapshot, Remove-VMSnapshot and Rename-VMSnapshot on the document,
 * following docs/hyper-v.md. What kind Checkpoint-VM makes is the lab's own model of
 * Hyper-V (production.ts), not the provider's prediction of it.
 */

export interface TakeOptions {
    name: string;
    temporaryType?: Exclude<CheckpointType, "Disabled"> | undefined;
    /** Recovery and replica checkpoints come from backup and replication, not from the VM's policy. */
    snapshotType?: SnapshotType | undefined;
    isAutomatic?: boolean | undefined;
    /**
     * The caller's own limits (the port's TakeGuard), asked after Hyper-V's refusals and before
     * anything is written, with whether the checkpoint will hold the VM's memory.
     */
    guard?: ((writesMemory: boolean) => void) | undefined;
}

function checkName(name: string, scope: FailureScope): void {
    if (name.length < 1 || name.length > MAX_CHECKPOINT_NAME_LENGTH) throw fail.invalidCheckpointName(scope, MAX_CHECKPOINT_NAME_LENGTH, name.length);
}

function refuseTransitional(vm: LabVm, scope: FailureScope): void {
    if (isTransitional(vm.state)) throw fail.invalidState(scope, vm.state);
}

export function checkpointVm(doc: LabDocument, tx: Transaction, vm: LabVm, options: TakeOptions, scope: FailureScope): TakenCheckpoint {
    checkName(options.name, scope);
    const made = madeUnderType(doc, vm, options);
    const refusal = firstTakeRefusal<HostError>({
        InvalidVmState: () => (isTransitional(vm.state) ? fail.invalidState(scope, vm.state) : null),
        UnsupportedByHost: () =>
            options.temporaryType !== undefined && !osProfiles[doc.host.os].supportsCheckpointType ? fail.parameterNotFound(scope, "CheckpointType") : null,
        CheckpointsDisabled: () => ("refused" in made && made.refused === "disabled" ? fail.checkpointsDisabled(scope) : null),
        ProductionUnavailable: () => ("refused" in made && made.refused === "production" ? fail.productionUnavailable(scope, made.why) : null),
        CheckpointLimit: () => (checkpointsOf(doc, vm.id).length >= MAX_CHECKPOINTS_PER_VM ? fail.checkpointLimit(scope, MAX_CHECKPOINTS_PER_VM) : null),
    });
    if (refusal) throw refusal;
    if ("refused" in made) throw new Error(`lab: a take refused as ${made.refused} passed the refusal checks`);
    const writesMemory = holdsMemory(capturedState(vm, made.kind));
    options.guard?.(writesMemory);
    // Hyper-V finds a full volume last, when it writes the files.
    const shortfall = takeShortfall(doc, vm, writesMemory);
    if (shortfall) throw fail.insufficientSpace(scope, shortfall.volume, shortfall.free, shortfall.needed);
    const before = projectVm(doc, vm);
    const namesakes = checkpointsOf(doc, vm.id)
        .filter((c) => c.name === options.name)
        .map((c) => projectCheckpoint(vm, c));
    const taken = take(doc, tx, vm, options, made, scope);
    return { vm: before, namesakes, ...taken, storage: storageOf(doc, vm) };
}

/**
 * The type the checkpoint is taken under: the temporary one when given, except that it never
 * overrides a policy that forbids checkpoints. Recovery and replica checkpoints come from backup
 * and replication, not from the VM's policy: VSS-based, they hold no memory.
 */
function madeUnderType(doc: LabDocument, vm: LabVm, options: TakeOptions): HyperVMakes {
    if (!userSnapshotTypes.includes(options.snapshotType ?? "Standard")) return { kind: "production", fellBack: false };
    const type = vm.checkpointType === "Disabled" ? "Disabled" : (options.temporaryType ?? vm.checkpointType);
    return checkpointHyperVMakes(doc, vm, type);
}

function take(
    doc: LabDocument,
    tx: Transaction,
    vm: LabVm,
    options: TakeOptions,
    plan: { kind: CheckpointKind; fellBack: boolean },
    scope: FailureScope,
): Omit<TakenCheckpoint, "vm" | "namesakes" | "storage"> {
    const cp: LabCheckpoint = {
        id: randomUUID(),
        vmId: vm.id,
        name: options.name,
        snapshotType: options.snapshotType ?? "Standard",
        isAutomatic: options.isAutomatic ?? false,
        parentId: vm.parentCheckpointId,
        creationTime: new Date().toISOString(),
        vmState: capturedState(vm, plan.kind),
        hardDrives: [...vm.hardDrives],
        path: vm.checkpointFileLocation,
    };
    tx.spend(checkpointWork(vm, plan.kind));
    writeCheckpointFiles(tx, cp, holdsMemory(cp.vmState));
    vm.hardDrives = cp.hardDrives.map((disk) => createDifferencingDisk(tx, vm, disk));
    doc.checkpoints.push(cp);
    vm.parentCheckpointId = cp.id;
    scope.context.checkpointId = cp.id;
    recordEvent(doc, "takeCheckpoint", vm, cp.id);
    return { checkpoint: projectCheckpoint(vm, cp), kind: plan.kind, fellBack: plan.fellBack, vmStateAtCreation: vm.state };
}

/** A production checkpoint is what a clean shutdown would leave: no memory state. */
function capturedState(vm: LabVm, kind: CheckpointKind): VmState {
    return kind === "production" ? "Off" : vm.state;
}

/** VSS in the guest for a production checkpoint of a running VM; memory for a standard one; else only disks. */
function checkpointWork(vm: LabVm, kind: "production" | "standard"): HostWork {
    if (vm.state !== "Running") return { operation: "diskCheckpoint" };
    return kind === "production" ? { operation: "productionCheckpoint" } : { operation: "memoryCheckpoint", memoryMB: vm.memoryMB };
}

/**
 * The VM's current state is discarded and it continues from a new differencing disk off the
 * checkpoint's disks, so new checkpoints branch from the applied one.
 */
export function applyCheckpoint(
    doc: LabDocument,
    tx: Transaction,
    vm: LabVm,
    cp: LabCheckpoint,
    options: { start?: boolean | undefined },
    scope: FailureScope,
): void {
    refuseTransitional(vm, scope);
    tx.spend({ operation: "apply", memoryMB: holdsMemory(cp.vmState) ? vm.memoryMB : 0 });
    const discarded = vm.hardDrives;
    vm.hardDrives = cp.hardDrives.map((disk) => createDifferencingDisk(tx, vm, disk));
    for (const disk of discarded) mergeUnreferenced(tx, vm, checkpointsOf(doc, vm.id), disk);
    vm.parentCheckpointId = cp.id;
    vm.state = options.start ? "Running" : stateAfterRestore(cp, doc.host.behaviour);
    recordEvent(doc, "applyCheckpoint", vm, cp.id);
}

function stateAfterRestore(cp: LabCheckpoint, behaviour: Behaviour): VmState {
    if (!holdsMemory(cp.vmState)) return "Off";
    return cp.vmState === "Saved" ? "Saved" : behaviour.restoredStandardState;
}

export function renameCheckpoint(tx: Transaction, vm: LabVm, cp: LabCheckpoint, newName: string, scope: FailureScope): void {
    checkName(newName, scope);
    refuseTransitional(vm, scope);
    tx.spend({ operation: "setVm" });
    cp.name = newName;
}

export function removeCheckpoint(doc: LabDocument, tx: Transaction, vm: LabVm, cp: LabCheckpoint, scope: FailureScope): void {
    refuseTransitional(vm, scope);
    if (doc.host.behaviour.removeWithChildren === "removeSubtree") {
        for (const child of doc.checkpoints.filter((c) => c.parentId === cp.id)) removeCheckpoint(doc, tx, vm, child, scope);
    }
    removeOne(doc, tx, vm, cp, scope);
}

/** Merges one checkpoint away: its children and the VM now descend from its parent. */
export function removeOne(doc: LabDocument, tx: Transaction, vm: LabVm, cp: LabCheckpoint, scope: FailureScope): void {
    for (const child of doc.checkpoints) if (child.parentId === cp.id) child.parentId = cp.parentId;
    if (vm.parentCheckpointId === cp.id) vm.parentCheckpointId = cp.parentId;
    doc.checkpoints = doc.checkpoints.filter((c) => c !== cp);
    deleteCheckpointFiles(tx, cp);
    const roomBefore = new Map(cp.hardDrives.map((disk) => [disk, volumeOfDrive(doc, driveOf(disk)).freeSpace]));
    let mergedBytes = 0;
    for (const disk of cp.hardDrives) {
        const merged = mergeUnreferenced(tx, vm, checkpointsOf(doc, vm.id), disk);
        // The merged disk grows by what it absorbs before the absorbed file goes (assumption: README.md, "Disks and volumes").
        const free = roomBefore.get(disk) ?? 0;
        if (merged > free) throw fail.mergeFailed(scope, volumeOfDrive(doc, driveOf(disk)).name, free, merged);
        mergedBytes += merged;
    }
    tx.spend({ operation: "remove" });
    // Removal returns here; the copy runs in the background for as long as the model says. With
    // disk merging disabled for the VM, Hyper-V starts none (README.md, "Merges").
    if (vm.diskMergeEnabled) startMerge(vm, mergedBytes, doc.host.latency);
}
