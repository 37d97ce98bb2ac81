import { HostError, type ErrorContext, type HostErrorCode } from "../host/errors";
import type { LabLanguage } from "./document";
import { message, type MessageKey } from "./messages";

/**
 * The refusals the lab raises, in the port's vocabulary, with Hyper-V's words (translated when
 * the lab's language is not English). The stand-in module turns them into the error records
 * Hyper-V's cmdlets would raise.
 */
export interface FailureScope {
    language: LabLanguage;
    context: ErrorContext;
    /** Advice that fits who asked better than the port's default (see LabHost). */
    hints?: Partial<Record<HostErrorCode, string>>;
}

function raise(scope: FailureScope, code: HostErrorCode, key: MessageKey, params: Record<string, string | number> = {}): HostError {
    const hint = scope.hints?.[code];
    return new HostError(code, message(scope.language, key, params), scope.context, hint === undefined ? {} : { hint });
}

export const fail = {
    vmNotFoundByName: (s: FailureScope, name: string) => raise(s, "VmNotFound", "vmNotFound", { name }),
    vmNotFoundById: (s: FailureScope, id: string) => raise(s, "VmNotFound", "vmIdNotFound", { id }),
    ambiguousVmName: (s: FailureScope, name: string, ids: string[]) => raise(s, "AmbiguousVmName", "ambiguousVmName", { name, ids: ids.join(", ") }),
    checkpointNotFound: (s: FailureScope) => raise(s, "CheckpointNotFound", "checkpointNotFound"),
    checkpointsDisabled: (s: FailureScope) => raise(s, "CheckpointsDisabled", "checkpointsDisabled"),
    productionUnavailable: (s: FailureScope, reason: string) => raise(s, "ProductionUnavailable", "productionUnavailable", { reason }),
    invalidState: (s: FailureScope, state: string) => raise(s, "InvalidVmState", "invalidState", { state }),
    operationInProgress: (s: FailureScope) => raise(s, "InvalidVmState", "operationInProgress"),
    checkpointLimit: (s: FailureScope, max: number) => raise(s, "CheckpointLimit", "checkpointLimit", { max }),
    fileLocationLocked: (s: FailureScope, count: number) => raise(s, "FileLocationLocked", "fileLocationLocked", { count }),
    parameterNotFound: (s: FailureScope, parameter: string) => raise(s, "UnsupportedByHost", "parameterNotFound", { parameter }),
    invalidCheckpointName: (s: FailureScope, max: number, length: number) => raise(s, "HostFailure", "invalidCheckpointName", { max, length }),
    invalidPath: (s: FailureScope, path: string) => raise(s, "HostFailure", "invalidPath", { path }),
    insufficientSpace: (s: FailureScope, volume: string, free: number, needed: number) =>
        raise(s, "InsufficientSpace", "insufficientSpace", { volume, free, needed }),
    mergeFailed: (s: FailureScope, volume: string, free: number, needed: number) => raise(s, "InsufficientSpace", "mergeFailed", { volume, free, needed }),
    noBackupService: (s: FailureScope, service: string) => raise(s, "BackupServiceMissing", "noBackupService", { service }),
};
