import type { Volume, VmStorage } from "../host/storage";
import { holdsMemory } from "../host/rules";
import type { DiskFile, LabDocument, LabVm } from "./document";
import { vmOfId } from "./doc-index";

/*
 * Space on the simulated host's volumes. A volume the operator sized (`hyperv-lab host volume`)
 * has that capacity; any other drive is 1 TiB and always free, large enough that no test fills it.
 * Used space is what the lab's files take: each disk file its size (below), each checkpoint that
 * holds memory its VM's memory as a .vmrs in the checkpoint's file location, plus the operator's
 * `otherBytes`. Sources and assumptions: README.md ("Disks and volumes").
 */

const MiB = 1024 * 1024;

/** An undeclared drive's capacity. */
export const UNSIZED_VOLUME_CAPACITY = 1024 ** 4;

/**
 * What a differencing disk holds before the guest writes to it: headers, region table, metadata
 * (1 MiB each, MS-VHDX 2.2), rounded up to 4 MiB with its first allocation (an assumption).
 */
export const EMPTY_DIFFERENCING_DISK_BYTES = 4 * MiB;

/** Bytes on disk of a disk file (Get-VHD FileSize): what the guest wrote, and a differencing disk's own structures. */
export function fileSizeOf(disk: DiskFile): number {
    return disk.bytes + (disk.parentPath === null ? 0 : EMPTY_DIFFERENCING_DISK_BYTES);
}

export function memoryBytesOf(vm: LabVm): number {
    return vm.memoryMB * MiB;
}

export function driveOf(windowsPath: string): string {
    return (/^([A-Za-z]):/.exec(windowsPath)?.[1] ?? "C").toUpperCase();
}

const usage = new WeakMap<LabDocument, Map<string, number>>();

/** Bytes the lab's files take on each drive; computed once per frozen version of the lab. */
function usedByDrive(doc: LabDocument): Map<string, number> {
    const cached = usage.get(doc);
    if (cached) return cached;
    const used = new Map<string, number>();
    const add = (path: string, bytes: number) => used.set(driveOf(path), (used.get(driveOf(path)) ?? 0) + bytes);
    for (const vm of doc.vms) for (const disk of vm.diskFiles) add(disk.path, fileSizeOf(disk));
    for (const cp of doc.checkpoints) {
        const vm = vmOfId(doc, cp.vmId);
        if (vm && holdsMemory(cp.vmState)) add(cp.path, memoryBytesOf(vm));
    }
    if (Object.isFrozen(doc)) usage.set(doc, used);
    return used;
}

/** Win32_Volume of a drive: capacity and free space as the lab has them now. */
export function volumeOfDrive(doc: LabDocument, drive: string): Volume {
    const declared = doc.host.volumes.find((v) => v.drive === drive);
    // Counting a drive's files scans the fleet: only for a volume a test or operator sized, so that
    // a mutation still costs the same at 2,000 VMs as at 10 (test/lab/storage.test.ts).
    if (!declared) return { name: `${drive}:\\`, capacity: UNSIZED_VOLUME_CAPACITY, freeSpace: UNSIZED_VOLUME_CAPACITY };
    const free = declared.capacity - declared.otherBytes - (usedByDrive(doc).get(drive) ?? 0);
    return { name: `${drive}:\\`, capacity: declared.capacity, freeSpace: Math.max(0, free) };
}

/** Every disk file of the VM, its memory, and the volumes of its disks and checkpoint file location. */
export function storageOf(doc: LabDocument, vm: LabVm): VmStorage {
    const drives = new Set([...vm.diskFiles.map((d) => driveOf(d.path)), driveOf(vm.checkpointFileLocation)]);
    return {
        memoryBytes: memoryBytesOf(vm),
        disks: vm.diskFiles.map((d) => ({ path: d.path, parentPath: d.parentPath, fileSize: fileSizeOf(d) })),
        volumes: [...drives].sort().map((drive) => volumeOfDrive(doc, drive)),
    };
}

/**
 * The first volume a checkpoint of `vm` does not fit on, as Hyper-V finds out writing it: a new
 * differencing disk beside each current disk, and (`withMemory`) the VM's memory in the
 * checkpoint file location. Null when it fits.
 */
export function takeShortfall(doc: LabDocument, vm: LabVm, withMemory: boolean): { volume: string; free: number; needed: number } | null {
    const needs = new Map<string, number>();
    const need = (path: string, bytes: number) => needs.set(driveOf(path), (needs.get(driveOf(path)) ?? 0) + bytes);
    for (const disk of vm.hardDrives) need(disk, EMPTY_DIFFERENCING_DISK_BYTES);
    if (withMemory) need(vm.checkpointFileLocation, memoryBytesOf(vm));
    for (const [drive, needed] of [...needs].sort()) {
        const volume = volumeOfDrive(doc, drive);
        if (needed > volume.freeSpace) return { volume: volume.name, free: volume.freeSpace, needed };
    }
    return null;
}
