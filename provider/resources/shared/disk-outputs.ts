import { z } from "zod";
import { chainLength, differencingBytes, minFreeSpaceSchema, type Checkpoint, type Vm, type VmStorage } from "../../host";

/*
 * What checkpoints hold on disk, as outputs: per Checkpoint its disk files and depth, per VM
 * (VmCheckpointPolicy, and each VM of a CheckpointGroup) the bytes held, the deepest chain and the
 * volumes. Read with the VM in the same round trip (VmStorage).
 */

/** The limits a program declares on takes; a policy's reach the takes that pass them as policyLimits (take-limits.ts). */
export const takeLimitFields = {
    /**
     * Refuse a checkpoint that would leave less than this free on a volume it writes to (its new
     * .avhdx beside each disk; its memory in the checkpoint file location for a standard checkpoint
     * of a running VM): bytes, or a percentage of the volume such as "10%". Unset: only a
     * checkpoint that cannot fit at all is refused. Preview refuses it when it is certain.
     */
    minFreeSpace: minFreeSpaceSchema.optional(),
    /** Refuse a checkpoint that would make a chain of more differencing disks than this. */
    maxChainDepth: z.number({ message: "maxChainDepth must be a whole number of at least 1" }).int().min(1, "maxChainDepth must be at least 1").optional(),
};

export const diskFileOutputSchema = z.object({ path: z.string(), fileSize: z.number() });
export const volumeOutputSchema = z.object({ name: z.string(), capacity: z.number(), freeSpace: z.number() });

/** A checkpoint's disks: the files Get-VMSnapshot lists for it, with their sizes, and how deep in its chain it sits. */
export const checkpointDiskShape = {
    /** The disk files frozen at this checkpoint (Get-VMSnapshot HardDrives), with their size on disk in bytes. Absent in state written before it was recorded. */
    diskFiles: z.array(diskFileOutputSchema).optional(),
    /** Its depth in the disk chain: 1 for a checkpoint of the base disk, one more for each checkpoint before it. */
    chainDepth: z.number().optional(),
    /** Seconds since it was taken, as of the last read. */
    ageSeconds: z.number().optional(),
};

/** A VM's checkpoints on disk. */
export const vmDiskShape = {
    /** Bytes held in the VM's differencing disks (.avhdx): what its checkpoints keep on the host. */
    checkpointBytes: z.number().optional(),
    /** The most differencing disks in one of the VM's chains now. */
    deepestChain: z.number().optional(),
    /** The volumes of the VM's disks and checkpoint file location: capacity and free bytes. */
    volumes: z.array(volumeOutputSchema).optional(),
};

export function checkpointDisks(
    cp: Checkpoint,
    storage: VmStorage,
    now = new Date(),
): Required<{ [K in keyof typeof checkpointDiskShape]: z.infer<(typeof checkpointDiskShape)[K]> }> {
    const sizes = new Map(storage.disks.map((d) => [d.path.toLowerCase(), d.fileSize]));
    return {
        diskFiles: cp.hardDrives.map((path) => ({ path, fileSize: sizes.get(path.toLowerCase()) ?? 0 })),
        chainDepth: Math.max(0, ...cp.hardDrives.map((path) => chainLength(storage.disks, path))) + 1,
        ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(cp.creationTime)) / 1000)),
    };
}

export function vmDisks(vm: Vm, storage: VmStorage): Required<{ [K in keyof typeof vmDiskShape]: z.infer<(typeof vmDiskShape)[K]> }> {
    return {
        checkpointBytes: differencingBytes(storage.disks),
        deepestChain: Math.max(0, ...vm.hardDrives.map((path) => chainLength(storage.disks, path))),
        volumes: storage.volumes.map((v) => ({ name: v.name, capacity: v.capacity, freeSpace: v.freeSpace })),
    };
}
