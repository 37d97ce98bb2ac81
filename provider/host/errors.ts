import { mergeDisabledHint, mergeFailedHint } from "./merge-outcome";

/** Where a failure happened: every host error names the host, and the VM and checkpoint when known. */
export interface ErrorContext {
    host: string;
    vm?: string;
    vmId?: string;
    checkpoint?: string;
    checkpointId?: string;
    /** What was being attempted, e.g. "take checkpoint". */
    operation?: string;
}

export type HostErrorCode =
    | "VmNotFound"
    | "AmbiguousVmName"
    | "CheckpointNotFound"
    | "AccessDenied"
    | "CheckpointsDisabled"
    | "ProductionUnavailable"
    | "InvalidVmState"
    | "CheckpointLimit"
    | "FileLocationLocked"
    | "LocalStorageOnCluster"
    | "UnsupportedByHost"
    | "CheckpointNotAdoptable"
    | "BackupServiceMissing"
    | "InsufficientSpace"
    | "ChainTooDeep"
    | "MergeInProgress"
    | "MergeFailed"
    | "MergeDisabled"
    | "HostUnreachable"
    | "HostTimeout"
    | "UnexpectedOutput"
    | "UnsupportedShell"
    | "UnsendableText"
    | "HostFailure";

const hints: Record<HostErrorCode, string> = {
    VmNotFound: "check the VM name or id (Get-VM on the host lists them)",
    AmbiguousVmName: "several VMs share this name: use vmId with one of the ids listed",
    CheckpointNotFound: "the checkpoint was removed outside Pulumi: run `pulumi refresh`, and the next `pulumi up` takes a new one of the VM as it is now",
    AccessDenied: "add the account to the Hyper-V Administrators group (S-1-5-32-578) or run elevated",
    CheckpointsDisabled:
        "enable checkpoints in the VM's VmCheckpointPolicy (disabled: false) and give this checkpoint dependsOn that policy, so the policy changes first",
    ProductionUnavailable: 'use type "production" (falls back to standard) or fix the reason given',
    InvalidVmState: "wait until the VM has finished starting, stopping or saving, then retry",
    CheckpointLimit: "a VM holds at most 50 checkpoints: delete or merge old ones first",
    FileLocationLocked: "the checkpoint file location can only change while the VM has no checkpoints: delete them first",
    LocalStorageOnCluster:
        "put the checkpoints on storage every node sees (a Cluster Shared Volume, C:\\ClusterStorage\\<volume>\\..., or an SMB share, \\\\server\\share\\...), or set allowLocalFileLocation: true to accept losing them on failover",
    UnsupportedByHost: "remove the field from the resource, or upgrade the Hyper-V host",
    CheckpointNotAdoptable: "adopt only checkpoints taken with Checkpoint-VM or Hyper-V Manager",
    BackupServiceMissing: "remove ensureBackupIntegration, or add the integration service to the VM",
    ChainTooDeep: "remove or merge older checkpoints of the VM first, or raise maxChainDepth",
    MergeInProgress:
        'wait until the VM no longer shows "Merging disks" (Get-VM <vm> | Select Name, Status), then run the operation again; the provider waits for it up to hyperv:mergeTimeoutSeconds',
    MergeFailed: mergeFailedHint("<vm>"),
    MergeDisabled: mergeDisabledHint,
    InsufficientSpace: "free space on the volume named (remove old checkpoints, move files away), or move the checkpoint file location to a volume with room",
    HostUnreachable: "check the host address, network and credentials in the stack's hyperv:* configuration",
    HostTimeout: "the host did not answer in time; check the host, or raise the timeout in the hyperv:* configuration",
    UnsupportedShell: "run the scripts in Windows PowerShell 5.1 on this host",
    UnsendableText: "remove it: text reaches a Hyper-V host as UTF-8, which has no form for half a surrogate pair, so it would arrive as another character",
    UnexpectedOutput: "this is a bug in hyperv-checkpoints or an unsupported host: please report it with the output shown",
    HostFailure: "see the host's message",
};

/*
 * The package can be loaded twice in one process (by path in tests, by package name from the
 * serialised provider), which makes two HostError classes: `instanceof` fails across them. The
 * brand is a registry symbol, the same in every copy.
 */
const brand = Symbol.for("hyperv-checkpoints.HostError");

export interface HostErrorOptions {
    hint?: string;
    /** The failure this one reports in other words, kept whole for whoever debugs it. */
    cause?: unknown;
    /** Preview's prediction of this failure: nothing was attempted, so it "would fail". */
    predicted?: boolean;
}

/** A failure on a Hyper-V host, with the host, VM and checkpoint it concerns and what to do. */
export class HostError extends Error {
    readonly code: HostErrorCode;
    /** Why, in the words the message was built from (without the context and hint around them). */
    readonly detail: string;
    readonly context: ErrorContext;
    readonly hint: string;
    readonly predicted: boolean;
    readonly [brand] = true;

    constructor(code: HostErrorCode, detail: string, context: ErrorContext, options: HostErrorOptions = {}) {
        const hint = options.hint ?? hints[code];
        const predicted = options.predicted === true;
        super(formatMessage(detail, context, hint, predicted), options.cause === undefined ? undefined : { cause: options.cause });
        this.name = `${code}Error`;
        this.code = code;
        this.detail = detail;
        this.context = context;
        this.hint = hint;
        this.predicted = predicted;
    }

    /** A HostError from any copy of this package, optionally with this code. */
    static is(e: unknown, code?: HostErrorCode): e is HostError {
        return typeof e === "object" && e !== null && (e as { [brand]?: unknown })[brand] === true && (code === undefined || (e as HostError).code === code);
    }
}

/** `VM "web01" (6c1c…)`, `VM "web01"` or `VM (6c1c…)`: the name quoted, the id in brackets. */
function named(what: string, name: string | undefined, id: string | undefined): string {
    return [what, name ? `"${name}"` : undefined, id ? `(${id})` : undefined].filter(Boolean).join(" ");
}

function formatMessage(detail: string, context: ErrorContext, hint: string, predicted: boolean): string {
    const where = [`host ${context.host}`];
    if (context.vm || context.vmId) where.push(named("VM", context.vm, context.vmId));
    if (context.checkpoint || context.checkpointId) where.push(named("checkpoint", context.checkpoint, context.checkpointId));
    const op = context.operation ? `${context.operation} ${predicted ? "would fail" : "failed"} on ` : "";
    return `${op}${where.join(", ")}: ${detail.trim().replace(/\.+$/, "")}. ${capitalise(hint)}.`;
}

function capitalise(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A HostError from any copy of this package (see the brand), optionally with this code. */
export function isHostError(e: unknown, code?: HostErrorCode): e is HostError {
    return HostError.is(e, code);
}

/**
 * Whether a change that failed this way may still have happened, or may still happen, on the
 * host: it timed out (Hyper-V goes on with a Checkpoint-VM whose shell was stopped), or the shell
 * or its connection went away with no answer. Refusals and lookups that failed changed nothing.
 */
export function mayHaveCompleted(e: unknown): boolean {
    return isHostError(e, "HostTimeout") || isHostError(e, "HostUnreachable") || isHostError(e, "UnexpectedOutput");
}
