import { z } from "zod";
import { HostError, type ErrorContext, type HostErrorCode } from "../host/errors";

/*
 * What PowerShell knows about failures: the error records Hyper-V's cmdlets produce, and how they
 * map to the port's error codes. Only the PowerShell adapter reads records; the lab raises
 * HostErrors directly.
 */

/**
 * The error record a Hyper-V cmdlet produces, as our PowerShell scripts return it. Matching is by
 * FullyQualifiedErrorId and exception type, never by message: messages are translated on
 * localised hosts.
 */
export const errorRecordSchema = z.object({
    fullyQualifiedErrorId: z.string(),
    category: z.string().default("NotSpecified"),
    exceptionType: z.string().default("System.Exception"),
    message: z.string(),
    target: z.string().nullish(),
});
export type ErrorRecord = z.infer<typeof errorRecordSchema>;

const HYPERV = "Microsoft.HyperV.PowerShell.Commands";

/** Refusals the provider makes itself, before any cmdlet runs: no Hyper-V id corresponds. */
type ProviderOnlyCode =
    | "LocalStorageOnCluster"
    | "HostUnreachable"
    | "HostTimeout"
    | "UnexpectedOutput"
    | "UnsupportedShell"
    | "UnsendableText"
    | "CheckpointNotAdoptable"
    // Read from the merge job (Get-HvcpMergeState), not raised by a cmdlet: the provider's wait raises it.
    | "MergeFailed";

/**
 * The FullyQualifiedErrorId each failure corresponds to. The first four are documented; the ids of
 * Checkpoint-VM's and Set-VM's refusals are not (docs/hyper-v.md, section 5, marks them
 * unconfirmed), so the scripts check the policy, state and checkpoints first and raise these ids
 * themselves. Each id is the scripts' own for one failure: a cmdlet's own `InvalidState,…` (Set-VM
 * or any other refusing a VM that is starting, stopping, saving or busy with another operation) is
 * InvalidVmState (classifyRecord), never the file location's refusal.
 */
export const hyperVErrorIds: Record<Exclude<HostErrorCode, ProviderOnlyCode>, string> = {
    VmNotFound: `InvalidParameter,${HYPERV}.GetVM`,
    AmbiguousVmName: `AmbiguousVmName,${HYPERV}.GetVM`,
    CheckpointNotFound: `ObjectNotFound,${HYPERV}.GetVMSnapshot`,
    AccessDenied: `Unspecified,${HYPERV}.GetVM`,
    CheckpointsDisabled: `CheckpointsDisabled,${HYPERV}.CheckpointVM`,
    ProductionUnavailable: `ProductionCheckpointUnavailable,${HYPERV}.CheckpointVM`,
    InvalidVmState: `InvalidState,${HYPERV}.CheckpointVM`,
    CheckpointLimit: `CheckpointLimitReached,${HYPERV}.CheckpointVM`,
    FileLocationLocked: `CheckpointFileLocationLocked,${HYPERV}.SetVM`,
    UnsupportedByHost: `NamedParameterNotFound,${HYPERV}.SetVM`,
    // Raised by the settings call before any change, when the VM lacks the service it should enable.
    BackupServiceMissing: `BackupServiceMissing,${HYPERV}.EnableVMIntegrationService`,
    // Hyper-V reports a full disk as ERROR_DISK_FULL (0x80070070) in a VirtualizationException.
    InsufficientSpace: `InsufficientSpace,${HYPERV}.CheckpointVM`,
    // Raised by the take script itself, before Checkpoint-VM, when the program's maxChainDepth would be passed.
    ChainTooDeep: `ChainTooDeep,${HYPERV}.CheckpointVM`,
    // Raised by the take script itself, before Checkpoint-VM, when the VM is still merging a removed checkpoint's disks.
    MergeInProgress: `MergeInProgress,${HYPERV}.CheckpointVM`,
    // Raised by the removal script itself, before Remove-VMSnapshot, when Hyper-V's disk merging is disabled for the VM.
    MergeDisabled: `MergeDisabled,${HYPERV}.RemoveVMSnapshot`,
    HostFailure: `OperationFailed,${HYPERV}`,
};

/** The host's own error record, kept as the cause of the HostError it was classified into. */
export class HyperVErrorRecord extends Error {
    constructor(readonly record: ErrorRecord) {
        super(`${record.fullyQualifiedErrorId}: ${record.message.trim()}`);
        this.name = "HyperVErrorRecord";
    }
}

/** Classifies a cmdlet error record into the port's vocabulary; the record stays attached as the cause. */
export function errorFromRecord(record: ErrorRecord, context: ErrorContext, hint?: string): HostError {
    return new HostError(classifyRecord(record), record.message.trim(), context, { cause: new HyperVErrorRecord(record), ...(hint ? { hint } : {}) });
}

export function classifyRecord(record: ErrorRecord): HostErrorCode {
    for (const [code, id] of Object.entries(hyperVErrorIds) as [HostErrorCode, string][]) {
        if (record.fullyQualifiedErrorId === id) return code;
    }
    const [kind = "", source = ""] = record.fullyQualifiedErrorId.split(",", 2);
    if (kind === "ObjectNotFound") {
        return source.endsWith("Snapshot") || source.endsWith("Checkpoint") ? "CheckpointNotFound" : "VmNotFound";
    }
    if (kind === "AccessDenied" || record.category === "PermissionDenied" || record.exceptionType === "System.UnauthorizedAccessException") {
        return "AccessDenied";
    }
    if (kind === "InvalidState") return "InvalidVmState";
    if (kind === "NamedParameterNotFound") return "UnsupportedByHost";
    if (record.exceptionType.endsWith("PSRemotingTransportException") || kind.startsWith("PSSessionOpenFailed")) {
        return "HostUnreachable";
    }
    return "HostFailure";
}
