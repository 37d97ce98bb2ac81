import { z } from "zod";
import type { HostErrorCode } from "./errors";
import { holdsMemory, plannedCheckpointKind } from "./rules";
import type { CheckpointType, Vm } from "./model";
import { chainLength, NEW_DIFFERENCING_DISK_BYTES, volumeFor, type VmStorage } from "./storage";

/*
 * The limits a program declares on a take (minFreeSpace, maxChainDepth), and what a take needs on
 * disk: the one owner of the rule, used by preview's prediction, by the lab host and, generated
 * from the order, words and constants here, by the PowerShell take script.
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
    code: GuardCheck;
    detail: string;
}

/**
 * The limits a take is checked against, in order: the first that holds is the refusal. The
 * PowerShell take script's Get-HvcpGuardRefusal is generated from this order, guardWords and the
 * constants here (powershell/scripts/generated-guard.ts); test/powershell/guard-parity.test.ts
 * runs both on the same cases.
 */
export const guardCheckOrder = ["MergeInProgress", "InsufficientSpace", "ChainTooDeep"] as const satisfies readonly HostErrorCode[];
export type GuardCheck = (typeof guardCheckOrder)[number];

/**
 * What a refusal says; `{name}` is one of the check's values (fillWords here, a -f argument in
 * the generated PowerShell). `minFreeSpaceClause` goes into `{clause}` when minFreeSpace keeps bytes free.
 */
export const guardWords = {
    MergeInProgress: "the VM's disks are still merging from a checkpoint removed earlier ({percentComplete}% done, {bytesLeft} bytes left)",
    InsufficientSpace: "volume {volume} has {free} bytes free; the checkpoint needs {need}{clause}, so {needed} are needed",
    minFreeSpaceClause: " and minFreeSpace ({minFreeSpace}) keeps {keep} of its {capacity} bytes free",
    ChainTooDeep: "the checkpoint would make a chain of {depth} differencing disks, and maxChainDepth is {maxChainDepth}",
} as const satisfies Record<GuardCheck | "minFreeSpaceClause", string>;

/** A guardWords template with its `{name}` values filled in. */
export function fillWords(template: string, values: Readonly<Record<string, string | number>>): string {
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
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

/** A volume left with less than minFreeSpace (without one, a volume the take does not fit on at all), in ordinal order of volume names. */
function spaceRefusal(vm: Vm, storage: VmStorage, writesMemory: boolean, guard: TakeGuard): string | null {
    const byName = [...takeNeeds(vm, storage, writesMemory)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, need] of byName) {
        const volume = storage.volumes.find((v) => v.name === name);
        if (!volume) continue;
        const keep = keptFree(guard.minFreeSpace, volume.capacity);
        if (volume.freeSpace - need >= keep) continue;
        const clause = keep > 0 ? fillWords(guardWords.minFreeSpaceClause, { minFreeSpace: guard.minFreeSpace!, keep, capacity: volume.capacity }) : "";
        return fillWords(guardWords.InsufficientSpace, { volume: name, free: volume.freeSpace, need, clause, needed: need + keep });
    }
    return null;
}

/** A chain deeper than maxChainDepth after the take (and the `takenBefore` takes before it). */
function depthRefusal(vm: Vm, storage: VmStorage, guard: TakeGuard, takenBefore: number): string | null {
    if (guard.maxChainDepth === undefined) return null;
    const depth = Math.max(0, ...vm.hardDrives.map((d) => chainLength(storage.disks, d))) + takenBefore + 1;
    return depth > guard.maxChainDepth ? fillWords(guardWords.ChainTooDeep, { depth, maxChainDepth: guard.maxChainDepth }) : null;
}

/**
 * The first limit a take would break, in guardCheckOrder; null when none.
 * `takenBefore`: takes of the VM that come first (preview plans several), each one disk deeper.
 */
export function guardRefusal(vm: Vm, storage: VmStorage, writesMemory: boolean, guard: TakeGuard, takenBefore = 0): GuardRefusal | null {
    const checks: Record<GuardCheck, () => string | null> = {
        // First: a take on top of a merge under way adds a disk to the chain being merged (the provider waits and takes again, merge-wait.ts).
        // "?" where the host does not know (Hyper-V's merge job counts no bytes), as the generated PowerShell says.
        MergeInProgress: () =>
            vm.merge ? fillWords(guardWords.MergeInProgress, { percentComplete: vm.merge.percentComplete ?? "?", bytesLeft: vm.merge.bytesLeft ?? "?" }) : null,
        InsufficientSpace: () => spaceRefusal(vm, storage, writesMemory, guard),
        ChainTooDeep: () => depthRefusal(vm, storage, guard, takenBefore),
    };
    for (const code of guardCheckOrder) {
        const detail = checks[code]();
        if (detail !== null) return { code, detail };
    }
    return null;
}
