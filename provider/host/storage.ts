import { z } from "zod";

/*
 * What a VM's checkpoints hold on disk, read with what Hyper-V offers: Get-VHD following
 * ParentPath (a disk file, its parent, its size on disk), the VM's assigned memory (what a
 * standard checkpoint of a running VM writes to its .vmrs) and Win32_Volume (capacity and free
 * space of each volume the VM's files live on). Read in the same round trip as the VM.
 */

/** One virtual disk file of the VM (Get-VHD): the base .vhdx has no parent. */
export const diskFileSchema = z.object({
    path: z.string(),
    parentPath: z.string().nullable(),
    /** Bytes on disk (Get-VHD FileSize), not the virtual size. */
    fileSize: z.number().int().nonnegative(),
});
export type DiskFile = z.infer<typeof diskFileSchema>;

/** A volume as Win32_Volume reports it; `name` is its root, e.g. `D:\`. */
export const volumeSchema = z.object({
    name: z.string(),
    capacity: z.number().int().nonnegative(),
    freeSpace: z.number().int().nonnegative(),
});
export type Volume = z.infer<typeof volumeSchema>;

export const vmStorageSchema = z.object({
    /** Assigned memory in bytes: about what a standard checkpoint of a running VM writes. */
    memoryBytes: z.number().int().nonnegative(),
    /** Every disk file of the VM's chains, from each current disk down to its base. */
    disks: z.array(diskFileSchema),
    /** The volumes of the VM's disks and of its checkpoint file location, each once. */
    volumes: z.array(volumeSchema),
});
export type VmStorage = z.infer<typeof vmStorageSchema>;

/**
 * The room a new differencing disk takes at once: a VHDX starts with its headers, region table
 * and metadata (1 MiB each per the VHDX format specification, MS-VHDX 2.2) and the lab and the
 * provider both count 4 MiB per disk (an assumption that rounds up the first block allocation).
 */
export const NEW_DIFFERENCING_DISK_BYTES = 4 * 1024 * 1024;

/** The volume a path is on: the one whose root is its longest prefix (mount points and CSVs included), if any. */
export function volumeFor(volumes: readonly Volume[], windowsPath: string): Volume | undefined {
    const path = windowsPath.toLowerCase();
    return volumes
        .filter((v) => path.startsWith(v.name.toLowerCase()) || `${path}\\` === v.name.toLowerCase())
        .sort((a, b) => b.name.length - a.name.length)[0];
}

/** How many differencing links lead from `path` to its base disk (0 for the base itself). */
export function chainLength(disks: readonly DiskFile[], path: string): number {
    const byPath = new Map(disks.map((d) => [d.path.toLowerCase(), d]));
    let length = 0;
    let current = byPath.get(path.toLowerCase());
    while (current?.parentPath && length <= disks.length) {
        length += 1;
        current = byPath.get(current.parentPath.toLowerCase());
    }
    return length;
}

/** Bytes held in differencing disks: what checkpoints keep on the host besides their small configuration. */
export function differencingBytes(disks: readonly DiskFile[]): number {
    return disks.filter((d) => d.parentPath !== null).reduce((sum, d) => sum + d.fileSize, 0);
}
