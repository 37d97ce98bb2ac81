import { z } from "zod";
import { GUID_PATTERN } from "./ids";
import { vmStorageSchema, type VmStorage } from "./storage";
import type { TakeGuard } from "./take-guard";

/** `Set-VM -CheckpointType` values (Microsoft.HyperV.PowerShell.CheckpointType). */
export const checkpointTypeSchema = z.enum(["Disabled", "Production", "ProductionOnly", "Standard"]);
export type CheckpointType = z.infer<typeof checkpointTypeSchema>;

/**
 * VM states as Hyper-V names them. Hosts emit the state as a string because the numeric values of
 * the "...Critical" states differ between module builds.
 */
export const vmStateSchema = z.enum([
    "Running",
    "Off",
    "Stopping",
    "Saved",
    "Paused",
    "Starting",
    "Reset",
    "Saving",
    "Pausing",
    "Resuming",
    "FastSaved",
    "FastSaving",
    "Other",
]);
export type VmState = z.infer<typeof vmStateSchema>;

/** States in which Hyper-V refuses any checkpoint operation. */
export const transitionalStates: readonly VmState[] = ["Stopping", "Starting", "Reset", "Saving", "Pausing", "Resuming", "FastSaving", "Other"];

/** `SnapshotType` of a checkpoint. There is no "Production" value: see CheckpointKind. */
export const snapshotTypeSchema = z.enum(["Standard", "Recovery", "Planned", "Missing", "Replica", "AppConsistentReplica", "SyncedReplica"]);
export type SnapshotType = z.infer<typeof snapshotTypeSchema>;

/** Checkpoints a user made (Checkpoint-VM). Recovery and replica kinds belong to other features. */
export const userSnapshotTypes: readonly SnapshotType[] = ["Standard", "Planned"];

/** What a checkpoint actually is; Hyper-V cannot tell afterwards, so it is recorded at creation. */
export const checkpointKindSchema = z.enum(["production", "standard"]);
export type CheckpointKind = z.infer<typeof checkpointKindSchema>;

const guid = z.string().regex(GUID_PATTERN, "a GUID");
export const guidSchema = guid.transform((s) => s.toLowerCase());

export const hostCapabilitiesSchema = z.object({
    /** The computer name the host reports, for messages. */
    computerName: z.string(),
    /** e.g. "Windows Server 2019 Datacenter". */
    osCaption: z.string(),
    /** OS build number: 9600 = 2012 R2, 14393 = 2016, 17763 = 2019, 20348 = 2022, 26100 = 2025. */
    osBuild: z.number().int(),
    /** `Set-VM -CheckpointType` exists (2016 and later). */
    supportsCheckpointType: z.boolean(),
    /** `Set-VM -AutomaticCheckpointsEnabled` exists (Windows 10 1709 / Server 2019 and later). */
    supportsAutomaticCheckpoints: z.boolean(),
    /** The failover cluster's name when the host is a whole cluster (each VM on its owner node); absent for one host. */
    cluster: z.string().optional(),
});
export type HostCapabilities = z.infer<typeof hostCapabilitiesSchema>;

export const backupServiceSchema = z.object({
    /** The "Backup (volume shadow copy)" integration service is enabled on the host side. */
    enabled: z.boolean(),
    /** The guest's backup component answers (hv_vss_daemon on Linux). */
    guestResponding: z.boolean(),
});
export type BackupService = z.infer<typeof backupServiceSchema>;

/**
 * A disk merge under way on the VM: Hyper-V merges a removed checkpoint's differencing disks into
 * their parents in the background (Get-VM's Status "Merging disks", OperationalStatus
 * MergingDisks = 32772 in Msvm_ComputerSystem, and the merge job's Msvm_ConcreteJob PercentComplete).
 * A host says what it knows: Hyper-V's merge job has a percentage but no byte count, and the
 * percentage is absent when the job cannot be tied to the VM (powershell/scripts/prelude.ts).
 */
export const vmMergeSchema = z.object({
    percentComplete: z.number().int().min(0).max(100).optional(),
    /** Bytes still to copy into the parent disks, on hosts that know them (the lab). */
    bytesLeft: z.number().int().nonnegative().optional(),
});
export type VmMerge = z.infer<typeof vmMergeSchema>;

/**
 * The VM's latest disk merge stopped before its disks were whole, and none runs now: Hyper-V's
 * merge job ended in an error (Msvm_ConcreteJob JobState Terminated, Killed or Exception, with its
 * ErrorDescription) and VMMS logs event 19100 "background disk merge failed to complete". The
 * removed checkpoint's differencing disk stays unmerged. What to do: host/merge-outcome.ts.
 */
export const vmMergeFailureSchema = z.object({
    /** The host's words, e.g. "There is not enough space on the disk. (0x80070070)". */
    reason: z.string(),
    /** How far the merge got, when the host says. */
    percentComplete: z.number().int().min(0).max(100).optional(),
    /** The volume that ran out of space, when the host knows it (the lab). */
    volume: z.string().optional(),
});
export type VmMergeFailure = z.infer<typeof vmMergeFailureSchema>;

/** What removing a checkpoint reports: the merge it started, or its failure, when the host reports one (read in the same call). */
export interface CheckpointRemoval {
    merge?: VmMerge;
    mergeFailure?: VmMergeFailure;
}

/** What a read of a VM includes beyond its settings. */
export interface VmReadOptions {
    /**
     * Whether the VM's latest merge failed (mergeFailure), also when no merge runs: a host that pays
     * for it with another query (PowerShell: the merge jobs) reads it only when asked, by a wait for a merge.
     */
    mergeOutcome?: boolean;
}

export const vmSchema = z.object({
    id: guidSchema,
    name: z.string(),
    state: vmStateSchema,
    /** Configuration version, e.g. "5.0", "9.0". */
    version: z.string(),
    /** Null on hosts without checkpoint types (2012 R2): those take standard checkpoints only. */
    checkpointType: checkpointTypeSchema.nullable(),
    checkpointFileLocation: z.string(),
    /** Null on hosts without automatic checkpoints. */
    automaticCheckpointsEnabled: z.boolean().nullable(),
    /** The checkpoint the VM's current state descends from ("you are here"). */
    parentCheckpointId: guidSchema.nullable(),
    /** Null when the VM has no backup integration service at all. */
    backupService: backupServiceSchema.nullable(),
    hardDrives: z.array(z.string()),
    /** A clustered role (a cluster group of GroupType VirtualMachine: Get-ClusterGroup -VMId), on hosts that say; absent where they do not (no FailoverClusters module). */
    clustered: z.boolean().optional(),
    /** The disk merge under way, on hosts that report one; absent when the VM is not merging. */
    merge: vmMergeSchema.optional(),
    /** The VM's latest merge failed and none runs now, on hosts that report it (see VmReadOptions). */
    mergeFailure: vmMergeFailureSchema.optional(),
});
export type Vm = z.infer<typeof vmSchema>;

export const checkpointSchema = z.object({
    id: guidSchema,
    vmId: guidSchema,
    vmName: z.string(),
    name: z.string(),
    snapshotType: snapshotTypeSchema,
    isAutomatic: z.boolean(),
    parentId: guidSchema.nullable(),
    /** ISO-8601, UTC. */
    creationTime: z.string(),
    /** State of the VM the checkpoint captured; "Running"/"Paused" means memory state was saved. */
    vmState: vmStateSchema,
    hardDrives: z.array(z.string()),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** A VM with its checkpoints, as one read. */
export const vmWithCheckpointsSchema = z.object({
    vm: vmSchema,
    checkpoints: z.array(checkpointSchema),
    /** Its disk files, memory and volumes, read in the same round trip. */
    storage: vmStorageSchema,
});
export type VmWithCheckpoints = z.infer<typeof vmWithCheckpointsSchema>;

/** How to find a VM: by id (stable) or by name (names are not unique). */
export type VmRef = { id: string } | { name: string };

/** Changes to a VM's checkpoint settings; an absent field is left as it is. */
export interface CheckpointSettingsChange {
    checkpointType?: CheckpointType;
    checkpointFileLocation?: string;
    automaticCheckpointsEnabled?: boolean;
}

/**
 * Checkpoint settings a VM should have, applied in one host call: the host reads the VM, refuses
 * what Hyper-V would refuse before changing anything, and writes only the fields that differ
 * (file locations compare without case and trailing backslash). An absent field is left alone.
 */
export interface DesiredCheckpointSettings extends CheckpointSettingsChange {
    /** Without checkpointType: a Disabled VM gets Hyper-V's default, Production; other types stay. */
    reenableCheckpoints?: boolean;
    /**
     * A file location change while the VM has checkpoints: "refuse" (FileLocationLocked, the
     * default) or "keep" the current location and change the rest (restoring a policy on delete).
     */
    fileLocationWhileCheckpointed?: "refuse" | "keep";
    /** Enables the backup (volume shadow copy) integration service; BackupServiceMissing without one. */
    enableBackupIntegration?: boolean;
    /**
     * With checkpointType ProductionOnly: refuse (ProductionUnavailable) on a VM whose
     * configuration version can never make production checkpoints, instead of setting a policy
     * under which every checkpoint would fail.
     */
    refuseImpossibleProductionOnly?: boolean;
}

/** The VM before and after applying settings, and how many checkpoints it has. */
export interface AppliedCheckpointSettings {
    before: Vm;
    after: Vm;
    checkpointCount: number;
    /** The VM's disk files, memory and volumes, read in the same call. */
    storage: VmStorage;
}

export interface TakeCheckpointRequest {
    name: string;
    /**
     * A checkpoint type for this checkpoint only. Checkpoint-VM always uses the VM's policy, so the
     * host switches the VM's type for the call and back in the same round trip.
     */
    temporaryType?: Exclude<CheckpointType, "Disabled">;
    /** Limits the program declares (minFreeSpace, maxChainDepth): the host refuses a take past them before changing anything. */
    guard?: TakeGuard;
}

export interface TakenCheckpoint {
    /** The VM as it was just before the checkpoint (the request may name it by id or by name). */
    vm: Vm;
    checkpoint: Checkpoint;
    kind: CheckpointKind;
    /** A production checkpoint was asked for and Hyper-V made a standard one instead. */
    fellBack: boolean;
    /** The VM's state when the checkpoint was taken. */
    vmStateAtCreation: VmState;
    /** Checkpoints the VM already had under the same name (names repeat on Hyper-V), oldest first. */
    namesakes: Checkpoint[];
    /** The VM's disk files, memory and volumes just after the checkpoint, read in the same call. */
    storage: VmStorage;
}
