import type { Checkpoint, Vm, VmMerge, VmMergeFailure } from "../host/model";
import { mergeFailureOf, mergeProgress } from "./merges";
import type { LabCheckpoint, LabDocument, LabVm } from "./document";
import { BACKUP_SERVICE_GUID } from "./messages";
import { osProfiles } from "./os";

function withMerge(vm: LabVm): { merge?: VmMerge; mergeFailure?: VmMergeFailure } {
    const merge = mergeProgress(vm);
    const mergeFailure = mergeFailureOf(vm);
    return { ...(merge ? { merge } : {}), ...(mergeFailure ? { mergeFailure } : {}) };
}

/** The VM as the host reports it: settings the posed-as release lacks read as null. */
export function projectVm(doc: LabDocument, vm: LabVm): Vm {
    const profile = osProfiles[doc.host.os];
    const backup = backupServiceOf(vm);
    return {
        id: vm.id,
        name: vm.name,
        state: vm.state,
        version: vm.version,
        checkpointType: profile.supportsCheckpointType ? vm.checkpointType : null,
        checkpointFileLocation: vm.checkpointFileLocation,
        automaticCheckpointsEnabled: profile.supportsAutomaticCheckpoints ? vm.automaticCheckpointsEnabled : null,
        parentCheckpointId: vm.parentCheckpointId,
        backupService: backup ? { enabled: backup.enabled, guestResponding: vm.guestBackupResponding } : null,
        hardDrives: [...vm.hardDrives],
        ...(vm.ownerNode !== null ? { clustered: vm.clustered } : {}),
        ...withMerge(vm),
    };
}

export function projectCheckpoint(vm: LabVm, cp: LabCheckpoint): Checkpoint {
    return {
        id: cp.id,
        vmId: cp.vmId,
        vmName: vm.name,
        name: cp.name,
        snapshotType: cp.snapshotType,
        isAutomatic: cp.isAutomatic,
        parentId: cp.parentId,
        creationTime: cp.creationTime,
        vmState: cp.vmState,
        hardDrives: [...cp.hardDrives],
    };
}

/** Found by the GUID its id ends in: its name is translated on localised hosts. */
export function backupServiceOf(vm: LabVm): LabVm["integrationServices"][number] | undefined {
    return vm.integrationServices.find((s) => s.id.toUpperCase().endsWith(`\\${BACKUP_SERVICE_GUID}`));
}
