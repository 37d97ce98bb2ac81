import type { CheckpointKind, CheckpointType, Vm, VmState } from "./model";
import { transitionalStates } from "./model";

/** Hyper-V's per-VM checkpoint limit ("Plan for Hyper-V scalability"). */
export const MAX_CHECKPOINTS_PER_VM = 50;

/** Checkpoint names are 1 to 100 characters. */
export const MAX_CHECKPOINT_NAME_LENGTH = 100;

/**
 * Microsoft's final rule for production checkpoints is configuration version 6.2 (the article,
 * written against a preview, says 6.0).
 */
export const MIN_PRODUCTION_VERSION = "6.2";

export function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map((n) => Number.parseInt(n, 10) || 0);
    const pb = b.split(".").map((n) => Number.parseInt(n, 10) || 0);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}

export type ProductionBlocker =
    | { reason: "version"; detail: string }
    | { reason: "backup-service-missing"; detail: string }
    | { reason: "backup-service-disabled"; detail: string }
    | { reason: "guest-not-responding"; detail: string }
    | { reason: "state"; detail: string };

/** Why the VM can never make a production checkpoint, whatever its state (null if it can). */
export function permanentProductionBlocker(vm: Vm): ProductionBlocker | null {
    if (compareVersions(vm.version, MIN_PRODUCTION_VERSION) < 0) {
        return {
            reason: "version",
            detail: `configuration version ${vm.version} is below ${MIN_PRODUCTION_VERSION}; upgrade it with Update-VMVersion`,
        };
    }
    return null;
}

/** Why a production checkpoint of this VM cannot be made right now (null if it can). */
export function productionBlocker(vm: Vm): ProductionBlocker | null {
    const permanent = permanentProductionBlocker(vm);
    if (permanent) return permanent;
    if (vm.state !== "Running") {
        return {
            reason: "state",
            detail: `the VM is ${vm.state}; production checkpoints are made of a running VM through the guest's VSS`,
        };
    }
    if (!vm.backupService) {
        return { reason: "backup-service-missing", detail: "the VM has no backup (volume shadow copy) integration service" };
    }
    if (!vm.backupService.enabled) {
        return {
            reason: "backup-service-disabled",
            detail: "the backup (volume shadow copy) integration service is disabled; enable it (ensureBackupIntegration)",
        };
    }
    if (!vm.backupService.guestResponding) {
        return {
            reason: "guest-not-responding",
            detail: "the guest's backup service does not answer (Windows: VSS; Linux: hv_vss_daemon)",
        };
    }
    return null;
}

/** Windows paths compare without case and without a trailing backslash. */
export function sameHostPath(a: string, b: string): boolean {
    const norm = (p: string) => p.replace(/\\+$/, "").toLowerCase();
    return norm(a) === norm(b);
}

export function isTransitional(state: VmState): boolean {
    return transitionalStates.includes(state);
}

/**
 * Whether a checkpoint captured memory or saved state: taken of a Running or Paused VM as a
 * standard checkpoint, or of a Saved VM (it keeps the saved state). A checkpoint of an Off VM is
 * disk-only and consistent, like a production one.
 */
export function holdsMemory(vmStateAtCreation: VmState): boolean {
    return vmStateAtCreation === "Running" || vmStateAtCreation === "Paused" || vmStateAtCreation === "Saved";
}

/**
 * The kind of checkpoint Hyper-V makes for a VM under a type, or the reason it refuses.
 * Shared by every host so that "what kind did we get" means the same everywhere.
 */
export function plannedCheckpointKind(
    vm: Vm,
    type: CheckpointType | null,
): { kind: CheckpointKind; fellBack: boolean } | { refused: "disabled" } | { refused: "production"; blocker: ProductionBlocker } {
    // Hosts without checkpoint types (2012 R2) make standard checkpoints only.
    const effective = type ?? "Standard";
    if (effective === "Disabled") return { refused: "disabled" };
    if (effective === "Standard") return { kind: "standard", fellBack: false };
    if (vm.state === "Off") {
        // Disk-only and consistent, whatever the type: nothing runs that VSS could quiesce.
        return { kind: "production", fellBack: false };
    }
    const blocker = productionBlocker(vm);
    if (!blocker) return { kind: "production", fellBack: false };
    if (effective === "ProductionOnly") return { refused: "production", blocker };
    return { kind: "standard", fellBack: true };
}
