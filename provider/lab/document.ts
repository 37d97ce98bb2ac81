import { z } from "zod";
import { checkpointTypeSchema, guidSchema, snapshotTypeSchema, vmStateSchema } from "../host/model";
import { latencySettingsSchema } from "./latency";

/** The Windows Server releases a lab can pose as; each exposes what that Hyper-V had. */
export const labOsSchema = z.enum(["2012r2", "2016", "2019", "2022"]);
export type LabOs = z.infer<typeof labOsSchema>;

/** The display language of the simulated host: integration-service names and error messages. */
export const labLanguageSchema = z.enum(["en-US", "ja-JP"]);
export type LabLanguage = z.infer<typeof labLanguageSchema>;

/**
 * How the lab behaves where docs/hyper-v.md marks Hyper-V's behaviour unconfirmed. The
 * defaults are what the reference documents; the provider must work under every value.
 */
export const behaviourSchema = z.object({
    /** State of a VM after applying a standard checkpoint that holds memory ("Saved vs Running"). */
    restoredStandardState: z.enum(["Saved", "Running"]).default("Saved"),
    /** Removing a checkpoint with children: re-parent them to its parent, or remove the subtree too. */
    removeWithChildren: z.enum(["reparent", "removeSubtree"]).default("reparent"),
    /**
     * A second mutation on a VM while another one is in progress: refused with a state error (as
     * the reference expects), or queued behind it.
     */
    concurrentVmMutations: z.enum(["refuse", "serialize"]).default("refuse"),
});
export type Behaviour = z.infer<typeof behaviourSchema>;

/**
 * One power or checkpoint operation as the lab saw it, so tests can tell the order in which VMs
 * were rolled back, paused and resumed (a real host keeps this in its Hyper-V-VMMS event log).
 */
export const labEventSchema = z.object({
    at: z.iso.datetime(),
    operation: z.enum(["takeCheckpoint", "applyCheckpoint", "startVm", "suspendVm", "resumeVm", "mergeFailed"]),
    vmId: guidSchema,
    vmName: z.string(),
    checkpointId: guidSchema.optional(),
});
export type LabEvent = z.infer<typeof labEventSchema>;

/** The event log keeps the latest entries only: enough for a test, bounded for a long-lived lab. */
export const LAB_EVENT_LOG_LENGTH = 200;

/**
 * A volume of the simulated host. Its free space is what its capacity leaves after `otherBytes`
 * (files the lab does not model: the OS, other VMs' data) and the lab's own files on it.
 */
export const labVolumeSchema = z.object({
    /** The drive letter, upper case, e.g. "D". */
    drive: z.string().regex(/^[A-Z]$/),
    capacity: z.number().int().positive(),
    otherBytes: z.number().int().nonnegative(),
});
export type LabVolume = z.infer<typeof labVolumeSchema>;
/** A node of a cluster lab: Up runs its VMs, Down answers nothing (its clustered VMs failed over). */
export const labNodeSchema = z.object({
    name: z.string().min(1),
    state: z.enum(["Up", "Down"]),
});
export type LabNode = z.infer<typeof labNodeSchema>;

/** A failover cluster: the lab folder holds every node, and every VM names the node that owns it. */
export const labClusterSchema = z.object({
    name: z.string().min(1),
    nodes: z.array(labNodeSchema).min(1),
});
export type LabCluster = z.infer<typeof labClusterSchema>;

export const labHostSchema = z.object({
    computerName: z.string().min(1),
    /** Set when the lab is a failover cluster (cluster.ts); null for one stand-alone host. */
    cluster: labClusterSchema.nullable().default(null),
    os: labOsSchema,
    language: labLanguageSchema.default("en-US"),
    behaviour: behaviourSchema.prefault({}),
    /** How long operations take (latency.ts); HYPERV_LAB_LATENCY overrides it. */
    latency: latencySettingsSchema.prefault({}),
    /** Fault injection for crash tests (see fault-injection.ts); HYPERV_LAB_FAULT overrides it. */
    fault: z.string().nullable().default(null),
    /** The volumes the operator sized (`hyperv-lab host volume`); other drives are unbounded (volume-space.ts). */
    volumes: z.array(labVolumeSchema).default([]),
    /** The latest checkpoint and power operations (event-log.ts), oldest first. */
    events: z.array(labEventSchema).default([]),
});
export type LabHostSettings = z.infer<typeof labHostSchema>;

export const integrationServiceSchema = z.object({
    /** `Microsoft:<vm id>\<service GUID>`, as Get-VMIntegrationService reports it. */
    id: z.string(),
    enabled: z.boolean(),
});
export type IntegrationService = z.infer<typeof integrationServiceSchema>;

/** A virtual disk file and the file it differences against (null for the base .vhdx). */
export const diskFileSchema = z.object({
    path: z.string(),
    parentPath: z.string().nullable(),
    /**
     * What the guest wrote into this disk, which a merge copies into its parent. The lab invents
     * no writes: the operator adds them (`hyperv-lab vm write`), so merges cost what a test says.
     */
    bytes: z.number().int().nonnegative().default(0),
});
export type DiskFile = z.infer<typeof diskFileSchema>;

/** A typical server VM's memory (an assumption: Hyper-V has no default that fits every guest). */
export const DEFAULT_MEMORY_MB = 4096;

export const labVmSchema = z.object({
    id: guidSchema,
    name: z.string().min(1),
    state: vmStateSchema,
    version: z.string().regex(/^\d+\.\d+$/, "a configuration version such as 9.0"),
    /** Assigned memory: what a standard checkpoint of a running VM writes to its .vmrs. */
    memoryMB: z.number().int().positive().default(DEFAULT_MEMORY_MB),
    /** Stored on every host; hosts without checkpoint types report null (see projection.ts). */
    checkpointType: checkpointTypeSchema,
    /** A Windows path; see volumes.ts for where it lives inside the lab folder. */
    checkpointFileLocation: z.string(),
    automaticCheckpointsEnabled: z.boolean(),
    parentCheckpointId: guidSchema.nullable(),
    integrationServices: z.array(integrationServiceSchema),
    /** The guest answers backup requests (VSS in Windows, hv_vss_daemon in Linux). */
    guestBackupResponding: z.boolean(),
    /** The disks the VM runs on now: the newest differencing disk of each chain. */
    hardDrives: z.array(z.string()),
    /** Every disk file of the VM, base and differencing. */
    diskFiles: z.array(diskFileSchema),
    /** In a cluster lab: the node that owns (runs) the VM. Null on a stand-alone lab. */
    ownerNode: z.string().nullable().default(null),
    /** A clustered VM (a cluster group role) fails over and migrates; a local one stays on its node. */
    clustered: z.boolean().default(false),
    /** A live or quick migration under way (cluster.ts), or null. */
    migration: z
        .object({ from: z.string(), to: z.string(), kind: z.enum(["live", "quick"]) })
        .nullable()
        .default(null),
    /** The disk merge a checkpoint's removal started (merges.ts), or null; it is over once its time has passed. */
    merge: z.object({ startedAt: z.iso.datetime(), durationMs: z.number().nonnegative(), bytes: z.number().int().nonnegative() }).nullable().default(null),
    /** The VM's latest merge, failed (merges.ts): where it stopped and why; null once a merge starts again. */
    mergeFailure: z
        .object({
            at: z.iso.datetime(),
            reason: z.string(),
            volume: z.string(),
            percentComplete: z.number().int().min(0).max(100),
            bytesLeft: z.number().int().nonnegative(),
        })
        .nullable()
        .default(null),
    /** Msvm_DiskMergeSettingData EnabledState: false ("temporarily disabled") and Hyper-V merges none of the VM's disks. */
    diskMergeEnabled: z.boolean().default(true),
});
export type LabVm = z.infer<typeof labVmSchema>;

export const labCheckpointSchema = z.object({
    id: guidSchema,
    vmId: guidSchema,
    name: z.string().min(1),
    snapshotType: snapshotTypeSchema,
    isAutomatic: z.boolean(),
    parentId: guidSchema.nullable(),
    creationTime: z.iso.datetime(),
    /** The VM state captured; a production checkpoint captures none and records "Off". */
    vmState: vmStateSchema,
    /** The disks frozen at this checkpoint. */
    hardDrives: z.array(z.string()),
    /** The checkpoint file location its .vmcx/.vmrs were written to. */
    path: z.string(),
});
export type LabCheckpoint = z.infer<typeof labCheckpointSchema>;

export const LAB_FORMAT = "hyperv-lab/1";

/**
 * The whole simulated host as the lab's rules see it in memory, and the format of the one-document
 * `host.json` that labs were stored in before the journal (converted on first open, see
 * conversion.ts). Checkpoints are kept oldest first.
 */
export const labDocumentSchema = z.object({
    format: z.literal(LAB_FORMAT),
    host: labHostSchema,
    vms: z.array(labVmSchema),
    checkpoints: z.array(labCheckpointSchema),
});
export type LabDocument = z.infer<typeof labDocumentSchema>;
