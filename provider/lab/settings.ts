import type { AppliedCheckpointSettings, CheckpointSettingsChange, DesiredCheckpointSettings } from "../host/model";
import { isTransitional, permanentProductionBlocker } from "../host/rules";
import { settingsChange } from "../host/settings-change";
import type { LabDocument, LabVm } from "./document";
import { fail, type FailureScope } from "./refusals";
import { BACKUP_SERVICE_GUID, integrationServiceName } from "./messages";
import { osProfiles } from "./os";
import { checkpointsOf } from "./doc-index";
import { backupServiceOf, projectVm } from "./projection";
import { isWindowsPath } from "./volumes";

/**
 * Set-VM's checkpoint settings. Hyper-V validates the whole call before changing anything, so
 * a refused field leaves the others untouched too.
 */
export function setCheckpointSettings(doc: LabDocument, vm: LabVm, change: CheckpointSettingsChange, scope: FailureScope): void {
    const profile = osProfiles[doc.host.os];
    if (change.checkpointType !== undefined && !profile.supportsCheckpointType) throw fail.parameterNotFound(scope, "CheckpointType");
    if (change.automaticCheckpointsEnabled !== undefined && !profile.supportsAutomaticCheckpoints) {
        throw fail.parameterNotFound(scope, "AutomaticCheckpointsEnabled");
    }
    const location = change.checkpointFileLocation;
    if (location !== undefined && location !== vm.checkpointFileLocation) {
        // Windows limits a folder's path to 248 characters (MAX_PATH less room for a file name).
        if (!isWindowsPath(location) || location.length > 248) throw fail.invalidPath(scope, location);
        const count = checkpointsOf(doc, vm.id).length;
        if (count > 0) throw fail.fileLocationLocked(scope, count);
    }
    if (Object.values(change).some((value) => value !== undefined)) refuseWhileBusy(vm, scope);
    if (location !== undefined) vm.checkpointFileLocation = location;
    if (change.checkpointType !== undefined) vm.checkpointType = change.checkpointType;
    if (change.automaticCheckpointsEnabled !== undefined) vm.automaticCheckpointsEnabled = change.automaticCheckpointsEnabled;
}

/** A VM starting, stopping or saving takes no configuration change (a change that writes nothing is no change). */
function refuseWhileBusy(vm: LabVm, scope: FailureScope): void {
    if (isTransitional(vm.state)) throw fail.invalidState(scope, vm.state);
}

/** Enable-VMIntegrationService on the backup service, found by id because its name is translated. */
export function setBackupIntegration(doc: LabDocument, vm: LabVm, enabled: boolean, scope: FailureScope): void {
    const service = backupServiceOf(vm);
    if (!service) throw fail.noBackupService(scope, integrationServiceName(doc.host.language, `\\${BACKUP_SERVICE_GUID}`));
    service.enabled = enabled;
}

/**
 * Desired checkpoint settings in one call: what differs is worked out on the document, every
 * refusal comes before the first change, and a matching VM is not written at all.
 */
export function applyDesiredSettings(
    doc: LabDocument,
    vm: LabVm,
    desired: DesiredCheckpointSettings,
    scope: FailureScope,
): Omit<AppliedCheckpointSettings, "storage"> {
    const before = projectVm(doc, vm);
    const checkpointCount = checkpointsOf(doc, vm.id).length;
    const change = settingsChange(before, desired, checkpointCount);

    if (change.checkpointType === "ProductionOnly" && desired.refuseImpossibleProductionOnly) {
        const blocker = permanentProductionBlocker(before);
        if (blocker) throw fail.productionUnavailable(scope, blocker.detail);
    }
    const service = backupServiceOf(vm);
    if (desired.enableBackupIntegration && !service) {
        throw fail.noBackupService(scope, integrationServiceName(doc.host.language, `\\${BACKUP_SERVICE_GUID}`));
    }
    // Validates the whole change before applying any of it, like Set-VM.
    if (Object.keys(change).length > 0) setCheckpointSettings(doc, vm, change, scope);
    if (desired.enableBackupIntegration && service && !service.enabled) {
        refuseWhileBusy(vm, scope);
        setBackupIntegration(doc, vm, true, scope);
    }
    return { before, after: projectVm(doc, vm), checkpointCount };
}
