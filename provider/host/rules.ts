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

export type ProductionBlockerReason = "version" | "state" | "backup-service-missing" | "backup-service-disabled" | "guest-not-responding";

export interface ProductionBlocker {
    reason: ProductionBlockerReason;
    detail: string;
}

/** When a blocker holds, on the VM as the host reports it. */
export type BlockerCondition = { versionBelow: string } | { stateIsNot: VmState } | { backupService: "missing" | "disabled" | "silent" };

export interface ProductionBlockerRule {
    reason: ProductionBlockerReason;
    /** Holds whatever the VM's state: production checkpoints can never be made until it is fixed. */
    permanent: boolean;
    when: BlockerCondition;
    /** What the user reads; {version}, {minVersion} and {state} are the VM's. */
    detail: string;
}

/**
 * Why a production checkpoint cannot be made, first match wins: the provider's own reading of
 * Hyper-V's requirements, which it checks before asking the host. The PowerShell scripts'
 * Get-HvcpProductionBlocker is generated from this table (powershell/scripts/generated-rules.ts).
 */
export const productionBlockerRules: readonly ProductionBlockerRule[] = [
    {
        reason: "version",
        permanent: true,
        when: { versionBelow: MIN_PRODUCTION_VERSION },
        detail: "configuration version {version} is below {minVersion}; upgrade it with Update-VMVersion",
    },
    {
        reason: "state",
        permanent: false,
        when: { stateIsNot: "Running" },
        detail: "the VM is {state}; production checkpoints are made of a running VM through the guest's VSS",
    },
    {
        reason: "backup-service-missing",
        permanent: false,
        when: { backupService: "missing" },
        detail: "the VM has no backup (volume shadow copy) integration service",
    },
    {
        reason: "backup-service-disabled",
        permanent: false,
        when: { backupService: "disabled" },
        detail: "the backup (volume shadow copy) integration service is disabled; enable it (ensureBackupIntegration)",
    },
    {
        reason: "guest-not-responding",
        permanent: false,
        when: { backupService: "silent" },
        detail: "the guest's backup service does not answer (Windows: VSS; Linux: hv_vss_daemon)",
    },
];

function holds(when: BlockerCondition, vm: Vm): boolean {
    if ("versionBelow" in when) return compareVersions(vm.version, when.versionBelow) < 0;
    if ("stateIsNot" in when) return vm.state !== when.stateIsNot;
    if (when.backupService === "missing") return vm.backupService === null;
    if (when.backupService === "disabled") return vm.backupService !== null && !vm.backupService.enabled;
    return vm.backupService !== null && !vm.backupService.guestResponding;
}

function firstBlocker(vm: Vm, permanentOnly: boolean): ProductionBlocker | null {
    for (const rule of productionBlockerRules) {
        if (permanentOnly && !rule.permanent) continue;
        if (!holds(rule.when, vm)) continue;
        const detail = rule.detail.replace("{version}", vm.version).replace("{minVersion}", MIN_PRODUCTION_VERSION).replace("{state}", vm.state);
        return { reason: rule.reason, detail };
    }
    return null;
}

/** Why the VM can never make a production checkpoint, whatever its state (null if it can). */
export function permanentProductionBlocker(vm: Vm): ProductionBlocker | null {
    return firstBlocker(vm, true);
}

/** Why a production checkpoint of this VM cannot be made right now (null if it can). */
export function productionBlocker(vm: Vm): ProductionBlocker | null {
    return firstBlocker(vm, false);
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
    return memoryHoldingStates.includes(vmStateAtCreation);
}

/** The states holdsMemory holds for (the PowerShell take script's list is generated from it). */
export const memoryHoldingStates: readonly VmState[] = ["Running", "Paused", "Saved"];

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

/**
 * Storage every node of a failover cluster sees: a Cluster Shared Volume (mounted on every node
 * under C:\ClusterStorage\, Microsoft Learn "Use Cluster Shared Volumes in a failover cluster")
 * or an SMB share (\\server\share\...). A clustered VM's checkpoints anywhere else are on one
 * node's disks, and lost when the VM fails over without that node.
 */
export function isSharedStorage(windowsPath: string): boolean {
    return /^c:\\clusterstorage\\[^\\]+/i.test(windowsPath) || /^\\\\[^\\?.]+\\[^\\]+/.test(windowsPath);
}
