import * as path from "node:path";
import type { Volume } from "../host/storage";
import { recordEvent } from "./event-log";
import { failMerge, mergeProgress, retryMerge } from "./merges";
import { loadLab, updateLab } from "./store";
import { driveOf, volumeOfDrive } from "./volume-space";
import type { LabDocument, LabVm } from "./document";

/**
 * `hyperv-lab host volume D: --size 100GB [--free 2GB]`: sizes a volume of the simulated host. With
 * `free`, what the lab's own files leave is taken up by other files (the OS, other data), so the
 * volume has exactly that much free now; the lab's files then use it up as they grow.
 *
 * A merge under way on the volume that no longer has room for what it has left fails there, as a
 * merge whose volume fills does on Hyper-V (event 19100); a failed merge on it that has room again
 * starts again (README.md, "Merges").
 */
export async function setVolume(labFolder: string, drive: string, capacity: number, free?: number): Promise<Volume> {
    const letter = /^([A-Za-z]):?\\?$/.exec(drive.trim())?.[1]?.toUpperCase();
    if (!letter) throw new Error(`"${drive}" is not a volume: give its drive letter, e.g. D:`);
    const folder = path.resolve(labFolder);
    const volume = await updateLab(folder, { operation: "setVolume" }, (doc) => {
        doc.host.volumes = doc.host.volumes.filter((v) => v.drive !== letter);
        doc.host.volumes.push({ drive: letter, capacity, otherBytes: 0 });
        const room = volumeOfDrive(doc, letter).freeSpace;
        if (free !== undefined) {
            if (free > room) throw new Error(`volume ${letter}: cannot have ${free} bytes free: the lab's files leave ${room} of its ${capacity}`);
            doc.host.volumes = doc.host.volumes.map((v) => (v.drive === letter ? { ...v, otherBytes: room - free } : v));
        }
        return volumeOfDrive(doc, letter);
    });
    // One VM per transaction, as every lab mutation writes the host and the one VM it is about.
    for (const vm of loadLab(folder).vms.filter((v) => mergesOn(v, letter))) {
        await updateLab(folder, { operation: "setVolume", vmId: vm.id }, (doc) => settleMerge(doc, doc.vms.find((v) => v.id === vm.id)!, letter));
    }
    return volume;
}

/** Whether the VM merges (or failed to merge) into disks on this drive. */
function mergesOn(vm: LabVm, drive: string): boolean {
    return (vm.merge !== null || vm.mergeFailure !== null) && vm.hardDrives.some((d) => driveOf(d) === drive);
}

/** Fails the VM's merge if the volume cannot hold what it has left, or starts a failed one again if it now can. */
function settleMerge(doc: LabDocument, vm: LabVm, drive: string): void {
    const volume = volumeOfDrive(doc, drive);
    const running = mergeProgress(vm);
    if (running && (running.bytesLeft ?? 0) > volume.freeSpace) {
        failMerge(vm, volume.name);
        recordEvent(doc, "mergeFailed", vm);
    } else if (!running && vm.mergeFailure && vm.mergeFailure.bytesLeft <= volume.freeSpace) {
        retryMerge(vm, doc.host.latency);
    }
}
