import { randomUUID } from "node:crypto";
import type { LabCheckpoint, LabVm } from "./document";
import type { Transaction } from "./store";
import { windowsBasename, windowsDirname, windowsJoin } from "./volumes";

/*
 * The files Hyper-V keeps for a VM, laid out as Hyper-V lays them out:
 *  - each checkpoint: `<checkpoint GUID>.vmcx` (configuration) and, when memory was saved,
 *    `<checkpoint GUID>.vmrs` (runtime state), in the VM's checkpoint file location;
 *  - each virtual disk: a differencing disk `<base>_<GUID>.avhdx` next to its parent, the VM's
 *    disk path following the newest one.
 * File contents are small placeholders: the lab simulates layout, not data.
 */

export function checkpointConfigPath(cp: LabCheckpoint): string {
    return windowsJoin(cp.path, `${cp.id.toUpperCase()}.vmcx`);
}

export function checkpointStatePath(cp: LabCheckpoint): string {
    return windowsJoin(cp.path, `${cp.id.toUpperCase()}.vmrs`);
}

export function writeCheckpointFiles(tx: Transaction, cp: LabCheckpoint, withMemory: boolean): void {
    tx.createFile(checkpointConfigPath(cp), JSON.stringify({ checkpoint: cp.id, name: cp.name, vm: cp.vmId }, null, 2));
    if (withMemory) tx.createFile(checkpointStatePath(cp), `saved memory and device state of checkpoint ${cp.id}\n`);
}

export function deleteCheckpointFiles(tx: Transaction, cp: LabCheckpoint): void {
    tx.deleteAfterCommit(checkpointConfigPath(cp));
    tx.deleteAfterCommit(checkpointStatePath(cp));
}

export function createBaseDisk(tx: Transaction, vm: LabVm, diskPath: string): void {
    tx.createFile(diskPath, `placeholder virtual hard disk of ${vm.name}\n`);
    vm.diskFiles.push({ path: diskPath, parentPath: null, bytes: 0 });
}

/** A new `<base>_<GUID>.avhdx` next to `parentPath`, differencing against it. */
export function createDifferencingDisk(tx: Transaction, vm: LabVm, parentPath: string): string {
    const base = windowsBasename(parentPath)
        .replace(/\.a?vhdx?$/i, "")
        .replace(/(_[0-9A-Fa-f-]{36})+$/, "");
    const diskPath = windowsJoin(windowsDirname(parentPath), `${base}_${randomUUID().toUpperCase()}.avhdx`);
    tx.createFile(diskPath, `differencing disk of ${vm.name}; parent: ${parentPath}\n`);
    vm.diskFiles.push({ path: diskPath, parentPath, bytes: 0 });
    return diskPath;
}

export function deleteDisk(tx: Transaction, vm: LabVm, diskPath: string): void {
    vm.diskFiles = vm.diskFiles.filter((d) => d.path !== diskPath);
    tx.deleteAfterCommit(diskPath);
}

function childrenOf(vm: LabVm, diskPath: string): string[] {
    return vm.diskFiles.filter((d) => d.parentPath === diskPath).map((d) => d.path);
}

function isReferenced(vm: LabVm, checkpoints: readonly LabCheckpoint[], diskPath: string): boolean {
    return vm.hardDrives.includes(diskPath) || checkpoints.some((c) => c.hardDrives.includes(diskPath));
}

/**
 * After a checkpoint stopped referencing `diskPath`: merge what is no longer needed, as
 * Remove-VMSnapshot does. An unreferenced differencing disk without children is deleted (and its
 * parent reconsidered); an unreferenced disk with a single child absorbs that child (the child's
 * file is deleted and whoever used it now uses the merged disk); a disk backing several branches
 * stays. The base .vhdx is never deleted. Returns the bytes merged: what the absorbed child held.
 */
export function mergeUnreferenced(tx: Transaction, vm: LabVm, checkpoints: readonly LabCheckpoint[], diskPath: string): number {
    const disk = vm.diskFiles.find((d) => d.path === diskPath);
    if (!disk || isReferenced(vm, checkpoints, diskPath)) return 0;
    const children = childrenOf(vm, diskPath);
    if (children.length === 0 && disk.parentPath !== null) {
        deleteDisk(tx, vm, diskPath);
        return mergeUnreferenced(tx, vm, checkpoints, disk.parentPath);
    }
    if (children.length !== 1) return 0;
    const child = children[0] as string;
    const merged = vm.diskFiles.find((d) => d.path === child)?.bytes ?? 0;
    disk.bytes += merged;
    for (const d of vm.diskFiles) if (d.parentPath === child) d.parentPath = diskPath;
    vm.hardDrives = vm.hardDrives.map((p) => (p === child ? diskPath : p));
    for (const c of checkpoints) c.hardDrives = c.hardDrives.map((p) => (p === child ? diskPath : p));
    deleteDisk(tx, vm, child);
    return merged;
}

/** The guest writes `bytes` to each disk it runs on (the newest differencing disk of each chain). */
export function writeToDisks(vm: LabVm, bytes: number): void {
    for (const d of vm.diskFiles) if (vm.hardDrives.includes(d.path)) d.bytes += bytes;
}
