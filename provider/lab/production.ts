import type { CheckpointKind, CheckpointType } from "../host/model";
import { compareVersions, MIN_PRODUCTION_VERSION } from "../host/rules";
import type { LabDocument, LabVm } from "./document";
import { osProfiles } from "./os";
import { backupServiceOf } from "./projection";

/** What Checkpoint-VM makes of a VM, or why it refuses: checkpoints disabled, or a production-only checkpoint it cannot make. */
export type HyperVMakes = { kind: CheckpointKind; fellBack: boolean } | { refused: "disabled" } | { refused: "production"; why: string };

/**
 * What Hyper-V's Checkpoint-VM makes of a VM under a checkpoint type: the simulator's model of
 * Hyper-V (docs/hyper-v.md, section 4), kept apart from the provider's prediction of it
 * (provider/host/rules.ts) so that tests of the one can catch a mistake in the other.
 */
export function checkpointHyperVMakes(doc: LabDocument, vm: LabVm, type: CheckpointType | null): HyperVMakes {
    // Releases without checkpoint types (2012 R2) make standard checkpoints only.
    const effective = osProfiles[doc.host.os].supportsCheckpointType ? type : "Standard";
    if (effective === "Disabled") return { refused: "disabled" };
    if (effective === "Standard" || effective === null) return { kind: "standard", fellBack: false };
    // Nothing runs that VSS could quiesce: the checkpoint is disk-only and consistent.
    if (vm.state === "Off") return { kind: "production", fellBack: false };
    const why = whyVssCannot(vm);
    if (why === null) return { kind: "production", fellBack: false };
    if (effective === "ProductionOnly") return { refused: "production", why };
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
