import type { CheckpointKind } from "../host/model";
import { compareVersions, MIN_PRODUCTION_VERSION } from "../host/rules";
import type { LabDocument, LabVm } from "./document";
import { fail, type FailureScope } from "./refusals";
import { osProfiles } from "./os";
import { backupServiceOf } from "./projection";

/**
 * What Hyper-V's Checkpoint-VM makes of a VM under its checkpoint type: the simulator's model of
 * Hyper-V (docs/hyper-v.md, section 4), kept apart from the provider's prediction of it
 * (provider/host/rules.ts) so that tests of the one can catch a mistake in the other. Throws what
 * Hyper-V throws: checkpoints disabled, or a production-only checkpoint it cannot make.
 */
export function checkpointHyperVMakes(doc: LabDocument, vm: LabVm, scope: FailureScope): { kind: CheckpointKind; fellBack: boolean } {
    // Releases without checkpoint types (2012 R2) make standard checkpoints only.
    const type = osProfiles[doc.host.os].supportsCheckpointType ? vm.checkpointType : "Standard";
    if (type === "Disabled") throw fail.checkpointsDisabled(scope);
    if (type === "Standard") return { kind: "standard", fellBack: false };
    // Nothing runs that VSS could quiesce: the checkpoint is disk-only and consistent.
    if (vm.state === "Off") return { kind: "production", fellBack: false };
    const why = whyVssCannot(vm);
    if (why === null) return { kind: "production", fellBack: false };
    if (type === "ProductionOnly") throw fail.productionUnavailable(scope, why);
    return { kind: "standard", fellBack: true };
}

/** Why the guest's VSS cannot make a production checkpoint now, in Hyper-V's terms; null when it can. */
function whyVssCannot(vm: LabVm): string | null {
    if (compareVersions(vm.version, MIN_PRODUCTION_VERSION) < 0) return `configuration version ${vm.version} does not support production checkpoints`;
    if (vm.state !== "Running") return `the virtual machine is ${vm.state}`;
    const backup = backupServiceOf(vm);
    if (!backup?.enabled) return "the backup integration service is not enabled";
    if (!vm.guestBackupResponding) return "the guest did not respond to the backup request";
    return null;
}
