import type { HostError, HostErrorCode } from "../../../provider/host/errors";
import { hyperVErrorIds, type ErrorRecord } from "../../../provider/powershell/error-records";

/*
 * The error record a Hyper-V cmdlet raises for a refusal the lab made: what the real module would
 * put in FullyQualifiedErrorId and CategoryInfo, so the adapter classifies it as it would on a host.
 */

const HYPERV = "Microsoft.HyperV.PowerShell.Commands";

const categories: Partial<Record<HostErrorCode, string>> = {
    VmNotFound: "InvalidArgument",
    AmbiguousVmName: "InvalidArgument",
    CheckpointNotFound: "ObjectNotFound",
    CheckpointLimit: "LimitsExceeded",
    UnsupportedByHost: "InvalidArgument",
    BackupServiceMissing: "ObjectNotFound",
    AccessDenied: "PermissionDenied",
};

/** `cmdlet` is the cmdlet that was running (e.g. "Restore-VMSnapshot"); a state refusal names it, as Hyper-V's do. */
export function recordFor(e: HostError, cmdlet?: string): ErrorRecord {
    const source = cmdlet ? `${HYPERV}.${cmdlet.replace("-", "")}` : HYPERV;
    const ids = hyperVErrorIds as Record<string, string | undefined>;
    const fullyQualifiedErrorId =
        e.code === "InvalidVmState" && cmdlet
            ? `InvalidState,${source}`
            : e.code === "HostFailure" && cmdlet
              ? `InvalidParameter,${source}`
              : (ids[e.code] ?? `OperationFailed,${HYPERV}`);
    return {
        fullyQualifiedErrorId,
        category: categories[e.code] ?? "InvalidOperation",
        exceptionType: "Microsoft.HyperV.PowerShell.VirtualizationException",
        message: e.detail,
        target: null,
    };
}
