import { errorFromRecord, hyperVErrorIds, type ErrorContext, type HostError } from "../host/errors";
import type { LabLanguage } from "./document";
import { message, type MessageKey } from "./messages";

/**
 * The errors the lab raises, as error records like a Hyper-V cmdlet's, classified by the same
 * errorFromRecord the PowerShell adapter uses: both hosts speak one error vocabulary.
 */
export interface FailureScope {
    language: LabLanguage;
    context: ErrorContext;
}

const HYPERV = "Microsoft.HyperV.PowerShell.Commands";

function raise(scope: FailureScope, fullyQualifiedErrorId: string, category: string, key: MessageKey, params: Record<string, string | number> = {}): HostError {
    return errorFromRecord(
        {
            fullyQualifiedErrorId,
            category,
            exceptionType: "Microsoft.HyperV.PowerShell.VirtualizationException",
            message: message(scope.language, key, params),
        },
        scope.context,
    );
}

export const fail = {
    vmNotFoundByName: (s: FailureScope, name: string) => raise(s, hyperVErrorIds.VmNotFound, "InvalidArgument", "vmNotFound", { name }),
    vmNotFoundById: (s: FailureScope, id: string) => raise(s, hyperVErrorIds.VmNotFound, "InvalidArgument", "vmIdNotFound", { id }),
    ambiguousVmName: (s: FailureScope, name: string, ids: string[]) =>
        raise(s, hyperVErrorIds.AmbiguousVmName, "InvalidArgument", "ambiguousVmName", { name, ids: ids.join(", ") }),
    checkpointNotFound: (s: FailureScope) => raise(s, hyperVErrorIds.CheckpointNotFound, "ObjectNotFound", "checkpointNotFound"),
    checkpointsDisabled: (s: FailureScope) => raise(s, hyperVErrorIds.CheckpointsDisabled, "InvalidOperation", "checkpointsDisabled"),
    productionUnavailable: (s: FailureScope, reason: string) =>
        raise(s, hyperVErrorIds.ProductionUnavailable, "InvalidOperation", "productionUnavailable", { reason }),
    /** `cmdlet` is the cmdlet refusing, e.g. "RestoreVMSnapshot"; all classify as InvalidVmState. */
    invalidState: (s: FailureScope, cmdlet: string, state: string) =>
        raise(s, cmdlet === "CheckpointVM" ? hyperVErrorIds.InvalidVmState : `InvalidState,${HYPERV}.${cmdlet}`, "InvalidOperation", "invalidState", { state }),
    operationInProgress: (s: FailureScope) => raise(s, hyperVErrorIds.InvalidVmState, "InvalidOperation", "operationInProgress"),
    checkpointLimit: (s: FailureScope, max: number) => raise(s, hyperVErrorIds.CheckpointLimit, "LimitsExceeded", "checkpointLimit", { max }),
    fileLocationLocked: (s: FailureScope, count: number) => raise(s, hyperVErrorIds.FileLocationLocked, "InvalidOperation", "fileLocationLocked", { count }),
    parameterNotFound: (s: FailureScope, parameter: string) =>
        raise(s, hyperVErrorIds.UnsupportedByHost, "InvalidArgument", "parameterNotFound", { parameter }),
    invalidCheckpointName: (s: FailureScope, max: number, length: number) =>
        raise(s, `InvalidParameter,${HYPERV}.CheckpointVM`, "InvalidArgument", "invalidCheckpointName", { max, length }),
    invalidPath: (s: FailureScope, path: string) => raise(s, `InvalidParameter,${HYPERV}.SetVM`, "InvalidArgument", "invalidPath", { path }),
    noBackupService: (s: FailureScope, service: string) =>
        raise(s, hyperVErrorIds.BackupServiceMissing, "ObjectNotFound", "noBackupService", { service }),
};
