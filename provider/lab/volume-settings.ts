import * as path from "node:path";
import type { Volume } from "../host/storage";
import { updateLab } from "./store";
import { volumeOfDrive } from "./volume-space";

/**
 * `hyperv-lab host volume D: --size 100GB [--free 2GB]`: sizes a volume of the simulated host. With
 * `free`, what the lab's own files leave is taken up by other files (the OS, other data), so the
 * volume has exactly that much free now; the lab's files then use it up as they grow.
 */
export async function setVolume(labFolder: string, drive: string, capacity: number, free?: number): Promise<Volume> {
    const letter = /^([A-Za-z]):?\\?$/.exec(drive.trim())?.[1]?.toUpperCase();
    if (!letter) throw new Error(`"${drive}" is not a volume: give its drive letter, e.g. D:`);
    return updateLab(path.resolve(labFolder), { operation: "setVolume" }, (doc) => {
        doc.host.volumes = doc.host.volumes.filter((v) => v.drive !== letter);
        doc.host.volumes.push({ drive: letter, capacity, otherBytes: 0 });
        const room = volumeOfDrive(doc, letter).freeSpace;
        if (free !== undefined) {
            if (free > room) throw new Error(`volume ${letter}: cannot have ${free} bytes free: the lab's files leave ${room} of its ${capacity}`);
            doc.host.volumes = doc.host.volumes.map((v) => (v.drive === letter ? { ...v, otherBytes: room - free } : v));
        }
        return volumeOfDrive(doc, letter);
    });
}
