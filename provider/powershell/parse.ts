import { z } from "zod";
import type { ErrorContext } from "../host/errors";
import { errorFromRecord, errorRecordSchema } from "./error-records";
import {
    checkpointSchema,
    checkpointTypeSchema,
    guidSchema,
    hostCapabilitiesSchema,
    vmMergeFailureSchema,
    vmMergeSchema,
    vmSchema,
    vmStateSchema,
    type CheckpointType,
    type SnapshotType,
    type VmState,
} from "../host/model";
import { diskFileSchema, vmStorageSchema, volumeSchema } from "../host/storage";
import { unexpectedOutput } from "./errors";

/*
 * The scripts project everything to strings on the host, but the parser accepts what either
 * PowerShell generation emits for the same data, so a host-side slip (or a 5.1 quirk) is read
 * correctly instead of failing: enums as integers, `\/Date(ms)\/` dates (5.1) or ISO dates (7),
 * a one-element array unwrapped, and arrays serialised as {"value":[...],"Count":n} (5.1).
 */

const vmStateNumbers: Record<number, VmState> = {
    1: "Other",
    2: "Running",
    3: "Off",
    4: "Stopping",
    6: "Saved",
    9: "Paused",
    10: "Starting",
    11: "Reset",
    32773: "Saving",
    32776: "Pausing",
    32777: "Resuming",
    32779: "FastSaved",
    32780: "FastSaving",
};
const snapshotTypeNumbers: Record<number, SnapshotType> = {
    0: "Standard",
    1: "Recovery",
    2: "Planned",
    5: "Missing",
    6: "Replica",
    7: "AppConsistentReplica",
    8: "SyncedReplica",
};
const checkpointTypeNumbers: Record<number, CheckpointType> = { 2: "Disabled", 3: "Production", 4: "ProductionOnly", 5: "Standard" };

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An integer enum becomes its name; unknown integers are left for the schema to reject. */
function enumName<T extends string>(table: Record<number, T>) {
    return (v: unknown): unknown => (typeof v === "number" && table[v] !== undefined ? table[v] : v);
}

/**
 * A state this parser does not know (the "...Critical" states of storage trouble, whose numbers
 * differ between module builds, or a state a newer module adds) is read as "Other", in which
 * checkpoint operations are refused: one unknown state must not make the VM unreadable, nor turn
 * a checkpoint that was taken into a failure.
 */
function vmStateName(v: unknown): unknown {
    const named = enumName(vmStateNumbers)(v);
    if (typeof named === "number") return "Other";
    return typeof named === "string" && !knownVmStates.has(named) ? "Other" : named;
}

const knownVmStates = new Set<string>(vmStateSchema.options);

export function unwrapList(v: unknown): unknown {
    if (v === null || v === undefined) return [];
    if (Array.isArray(v)) return v;
    if (isRecord(v) && Array.isArray(v.value) && "Count" in v && Object.keys(v).length === 2) return v.value;
    return [v];
}

/** ISO-8601 UTC from `\/Date(ms)\/` (5.1; the JSON escape leaves "/Date(ms)/") or any ISO date. */
export function normaliseDate(v: unknown): unknown {
    if (typeof v !== "string") return v;
    const legacy = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(v);
    const date = legacy?.[1] !== undefined ? new Date(Number(legacy[1])) : /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : null;
    return date && !Number.isNaN(date.getTime()) ? date.toISOString() : v;
}

export function listOf<T extends z.ZodType>(item: T) {
    return z.preprocess(unwrapList, z.array(item));
}

/** A host that does not say whether the VM is clustered (null: no FailoverClusters module) leaves the field out. */
function withoutUnknownClustered(v: Record<string, unknown>): Record<string, unknown> {
    const { clustered, ...rest } = v;
    return typeof clustered === "boolean" ? v : rest;
}

/**
 * A VM that is not merging (merge null), or whose latest merge did not fail (mergeFailure null),
 * leaves the field out, as the lab does; each loses its unknown (null) values.
 */
function withoutUnmerging(v: Record<string, unknown>): Record<string, unknown> {
    const { merge, mergeFailure, ...rest } = v;
    return {
        ...rest,
        ...(merge === null || merge === undefined ? {} : { merge: wireMerge(merge) }),
        ...(mergeFailure === null || mergeFailure === undefined ? {} : { mergeFailure: wireMerge(mergeFailure) }),
    };
}

/** The script's merge (Get-HvcpMerge): null when not merging, its unknown values null; the port leaves both out. */
function wireMerge(v: unknown): unknown {
    if (v === null || v === undefined) return undefined;
    if (!isRecord(v)) return v;
    return Object.fromEntries(Object.entries(v).filter(([, value]) => value !== null));
}
const wireMergeSchema = z.preprocess(wireMerge, vmMergeSchema.optional());

export const wireVmSchema = z.preprocess(
    (v) =>
        isRecord(v)
            ? {
                  ...withoutUnmerging(withoutUnknownClustered(v)),
                  state: vmStateName(v.state),
                  checkpointType: enumName(checkpointTypeNumbers)(v.checkpointType ?? null),
                  automaticCheckpointsEnabled: v.automaticCheckpointsEnabled ?? null,
                  parentCheckpointId: v.parentCheckpointId || null,
                  backupService: v.backupService ?? null,
                  hardDrives: unwrapList(v.hardDrives),
              }
            : v,
    vmSchema,
);

export const wireCheckpointSchema = z.preprocess(
    (v) =>
        isRecord(v)
            ? {
                  ...v,
                  snapshotType: enumName(snapshotTypeNumbers)(v.snapshotType),
                  vmState: vmStateName(v.vmState),
                  parentId: v.parentId || null,
                  creationTime: normaliseDate(v.creationTime),
                  hardDrives: unwrapList(v.hardDrives),
              }
            : v,
    checkpointSchema,
);

export const powerShellCapabilitiesSchema = hostCapabilitiesSchema.extend({
    osBuild: z.coerce.number().int(),
    /** "Desktop" (Windows PowerShell 5.1) or "Core" (PowerShell 7). */
    psEdition: z.string(),
    psVersion: z.string(),
    /** The failover cluster the host is a node of, with every node and its state (Up, Down, Paused, Joining); null when none answers. */
    failoverCluster: z
        .object({
            name: z.string().min(1),
            nodes: listOf(z.object({ name: z.string().min(1), state: z.string() })),
        })
        .nullable()
        .default(null),
});
export type PowerShellCapabilities = z.infer<typeof powerShellCapabilitiesSchema>;

/** Win32_Volume's and Get-VHD's numbers are UInt64 and Int64: JSON numbers, exact below 2^53 bytes. */
export const wireStorageSchema = z.object({
    memoryBytes: vmStorageSchema.shape.memoryBytes,
    disks: listOf(diskFileSchema.extend({ parentPath: z.preprocess((v) => v || null, z.string().nullable()) })),
    volumes: listOf(volumeSchema),
});

export const vmWithCheckpointsResultSchema = z.object({ vm: wireVmSchema, checkpoints: listOf(wireCheckpointSchema), storage: wireStorageSchema });
export const vmResultSchema = z.object({ vm: wireVmSchema });
export const checkpointResultSchema = z.object({ checkpoint: wireCheckpointSchema });
export const takenCheckpointResultSchema = z.object({
    vmBefore: wireVmSchema,
    typeUsed: z.preprocess((v) => enumName(checkpointTypeNumbers)(v ?? null), checkpointTypeSchema.nullable()),
    checkpoint: wireCheckpointSchema,
    /** Oldest first; 5.1 may print one as an object, none as null, or a {value,Count} array. */
    namesakes: listOf(wireCheckpointSchema),
    storage: wireStorageSchema,
});
export const appliedSettingsResultSchema = z.object({
    before: wireVmSchema,
    after: wireVmSchema,
    checkpointCount: z.number().int().nonnegative(),
    storage: wireStorageSchema,
});
/** `merge`: the merge the removal started, read in the same script (null when the VM is not merging); `mergeFailure`: that merge failed already. */
export const removedResultSchema = z.object({
    removed: guidSchema,
    merge: wireMergeSchema,
    mergeFailure: z.preprocess(wireMerge, vmMergeFailureSchema.optional()),
});

/** locate-vm: the node holds the VM; `migration` is a live migration taking it away (`to` null when the job did not say where). */
export const locatedVmResultSchema = z.object({
    migration: z.object({ to: z.preprocess((v) => v || null, z.string().nullable()) }).nullable(),
});

/**
 * Reads the one JSON document an operation script printed: its result, or the HostError its error
 * envelope describes. Anything else is an UnexpectedOutput error naming the host.
 */
export function parseResult<T extends z.ZodType>(output: string, schema: T, context: ErrorContext): z.output<T> {
    let json: unknown;
    try {
        json = JSON.parse(output);
    } catch {
        throw unexpectedOutput(context, "the output is not one JSON document", output);
    }
    if (!isRecord(json) || Object.keys(json).length !== 1 || !("ok" in json || "error" in json)) {
        throw unexpectedOutput(context, "the output is neither a result nor an error envelope", output);
    }
    if ("error" in json) {
        const record = errorRecordSchema.safeParse(json.error);
        if (!record.success) throw unexpectedOutput(context, "the error envelope is incomplete", output);
        // Classified by FullyQualifiedErrorId and exception type, never by message: messages are translated.
        throw errorFromRecord(record.data, context);
    }
    const result = schema.safeParse(json.ok);
    if (!result.success) {
        const issues = result.error.issues
            .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
            .slice(0, 5)
            .join("; ");
        throw unexpectedOutput(context, `the result does not have the expected shape (${issues})`, output);
    }
    return result.data;
}
