import { z } from "zod";
import type { HostErrorCode } from "./errors";
import { holdsMemory, plannedCheckpointKind } from "./rules";
import type { CheckpointType, Vm } from "./model";
import { chainLength, NEW_DIFFERENCING_DISK_BYTES, volumeFor, type VmStorage } from "./storage";

/*
 * The limits a program declares on a take (minFreeSpace, maxChainDepth), and what a take needs on
 * disk: one owner for both, used by preview's prediction, by the lab host and (through the
 * constants the prelude is generated with) by the PowerShell take script.
 */

/** Space to keep free on every volume a take writes to: bytes, or a percentage of the volume's capacity. */
const MIN_FREE_SPACE_MESSAGE = 'minFreeSpace must be a number of bytes (e.g. 21474836480) or a percentage of the volume (e.g. "10%")';
// The same words whichever kind of value was wrong: a string that is not a percentage says what the field takes, too.
export const minFreeSpaceSchema = z.union(
    [z.number().int(MIN_FREE_SPACE_MESSAGE).nonnegative(MIN_FREE_SPACE_MESSAGE), z.string().regex(/^\d+(\.\d+)?%$/, MIN_FREE_SPACE_MESSAGE)],
    { message: MIN_FREE_SPACE_MESSAGE },
);
export type MinFreeSpace = z.infer<typeof minFreeSpaceSchema>;

export interface TakeGuard {
    minFreeSpace?: MinFreeSpace | undefined;
    /** The most differencing disks a chain may have after the take. */
    maxChainDepth?: number | undefined;
}

export interface GuardRefusal {
    code: Extract<HostErrorCode, "InsufficientSpace" | "ChainTooDeep">;
    detail: string;
}

/** The bytes minFreeSpace keeps free on a volume of `capacity` bytes. */
export function keptFree(minFreeSpace: MinFreeSpace | undefined, capacity: number): number {
    if (minFreeSpace === undefined) return 0;
    if (typeof minFreeSpace === "number") return minFreeSpace;
    return Math.ceil((capacity * Number.parseFloat(minFreeSpace)) / 100);
}

/** Whether a take under `type` writes the VM's memory: a standard checkpoint of a VM holding memory. */
export function takeWritesMemory(vm: Vm, type: CheckpointType | null): boolean {
    const planned = plannedCheckpointKind(vm, type);
    return "kind" in planned && planned.kind === "standard" && holdsMemory(vm.state);
}

/** What a take writes on each volume (by volume name): a new differencing disk per disk, and the memory when it holds memory. */
export function takeNeeds(vm: Vm, storage: VmStorage, writesMemory: boolean): Map<string, number> {
    const needs = new Map<string, number>();
    const add = (path: string, bytes: number) => {
        const volume = volumeFor(storage.volumes, path);
        if (volume) needs.set(volume.name, (needs.get(volume.name) ?? 0) + bytes);
    };
    for (const disk of vm.hardDrives) add(disk, NEW_DIFFERENCING_DISK_BYTES);
    if (writesMemory) add(vm.checkpointFileLocation, storage.memoryBytes);
    return needs;
}

/**
 * The first limit a take would break: a volume left with less than minFreeSpace (without one, a
 * volume the take does not fit on at all), then a chain deeper than maxChainDepth. Null when none.
 * `takenBefore`: takes of the VM that come first (preview plans several), each one disk deeper.
 */
export function guardRefusal(vm: Vm, storage: VmStorage, writesMemory: boolean, guard: TakeGuard, takenBefore = 0): GuardRefusal | null {
    for (const [name, need] of [...takeNeeds(vm, storage, writesMemory)].sort()) {
        const volume = storage.volumes.find((v) => v.name === name);
        if (!volume) continue;
        const keep = keptFree(guard.minFreeSpace, volume.capacity);
        if (volume.freeSpace - need >= keep) continue;
        const why = keep > 0 ? ` and minFreeSpace (${guard.minFreeSpace}) keeps ${keep} of its ${volume.capacity} bytes free` : "";
        return {
            code: "InsufficientSpace",
            detail: `volume ${name} has ${volume.freeSpace} bytes free; the checkpoint needs ${need}${why}, so ${need + keep} are needed`,
        };
    }
    if (guard.maxChainDepth !== undefined) {
        const depth = Math.max(0, ...vm.hardDrives.map((d) => chainLength(storage.disks, d))) + takenBefore + 1;
        if (depth > guard.maxChainDepth) {
            return {
                code: "ChainTooDeep",
                detail: `the checkpoint would make a chain of ${depth} differencing disks, and maxChainDepth is ${guard.maxChainDepth}`,
            };
        }
    }
    return null;
}
