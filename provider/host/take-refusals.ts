import type { HostErrorCode } from "./errors";

/**
 * What Checkpoint-VM refuses, in the order it is checked: the first that holds is the refusal.
 * One table for every place that decides or predicts a take: the lab's model of Hyper-V
 * (lab/checkpoints.ts), the generated take script (powershell/scripts/take-checkpoint.ts) and
 * the explanation preview and `up` give (resources/shared/refused-take.ts). A VM refused for
 * two reasons is then refused for the same one by each (before this table, preview named the
 * 50 limit where `up` named a Disabled policy).
 */
export const takeRefusalOrder = [
    "InvalidVmState",
    "UnsupportedByHost",
    "CheckpointsDisabled",
    "ProductionUnavailable",
    "CheckpointLimit",
] as const satisfies readonly HostErrorCode[];

export type TakeRefusal = (typeof takeRefusalOrder)[number];

/** One check per refusal, each answering with its refusal or null. */
export type TakeRefusalChecks<T> = { readonly [code in TakeRefusal]: () => T | null };

/** The first refusal that holds, the checks asked in takeRefusalOrder; null when none does. */
export function firstTakeRefusal<T>(checks: TakeRefusalChecks<T>): T | null {
    for (const code of takeRefusalOrder) {
        const refusal = checks[code]();
        if (refusal !== null) return refusal;
    }
    return null;
}
