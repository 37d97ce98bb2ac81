import type { VmCheckpointPolicyArgs } from "hyperv-checkpoints";

/**
 * What each kind of VM needs from checkpoints (the article's advice, one line per role). A role
 * is a policy without the VM: the fleet's config names the role of each VM.
 */
export const roles = {
    // Application-consistent (VSS) checkpoints only: a standard one would roll the guest's clock,
    // sessions and in-memory data back. No silent fallback, no checkpoint at every start.
    server: { type: "production", fallbackToStandard: false, automaticCheckpoints: false, ensureBackupIntegration: true },
    // Domain controllers support only production checkpoints.
    "domain-controller": { type: "production", fallbackToStandard: false, automaticCheckpoints: false, ensureBackupIntegration: true },
    // Fast try-and-retry: memory and device state included, back where you were.
    development: { type: "standard", automaticCheckpoints: true },
    // Guests without a VSS writer (e.g. Linux without hv_vss_daemon) or configuration version
    // below 6.2: production checkpoints are impossible, so say standard rather than rely on fallback.
    "standard-only": { type: "standard", automaticCheckpoints: false },
    // Nobody takes or applies a checkpoint here by accident.
    "no-checkpoints": { disabled: true },
} as const satisfies Record<string, Omit<VmCheckpointPolicyArgs, "vmName" | "vmId" | "host">>;

export type Role = keyof typeof roles;
export const roleNames = Object.keys(roles) as [Role, ...Role[]];
