import type { CheckpointSettingsChange, CheckpointType, DesiredCheckpointSettings } from "./model";
import { sameIgnoringCase } from "./text";

/*
 * What a desired set of checkpoint settings changes on a VM: the one definition of "only what
 * differs". The resources use it to plan, the lab to apply, and the PowerShell adapter's script
 * is generated from the same table (powershell/scripts/generated-rules.ts), so the three cannot drift.
 */

/** The settings a change is worked out against, as the host reports them. */
export interface CurrentCheckpointSettings {
    checkpointType: CheckpointType | null;
    checkpointFileLocation: string;
    automaticCheckpointsEnabled: boolean | null;
}

/** How a desired value is compared with the current one. */
export type Comparison =
    /** Case-sensitive equality (enum names). */
    | "exact"
    /** Windows paths: without case and without a trailing backslash. */
    | "path"
    | "boolean";

export interface SettingRule {
    field: keyof CheckpointSettingsChange;
    compare: Comparison;
    /** A VM with checkpoints keeps the current value when the caller asks to keep it (fileLocationWhileCheckpointed: "keep"). */
    keptWhileCheckpointed?: true;
}

/** The settings, in the order they are compared. */
export const settingRules: readonly SettingRule[] = [
    { field: "checkpointType", compare: "exact" },
    { field: "checkpointFileLocation", compare: "path", keptWhileCheckpointed: true },
    { field: "automaticCheckpointsEnabled", compare: "boolean" },
];

/** Without a type, `reenableCheckpoints` turns a Disabled VM to Hyper-V's default for new VMs. */
export const REENABLED_CHECKPOINT_TYPE: CheckpointType = "Production";

/** Windows paths compare without case (ordinally, as NTFS does) and without a trailing backslash. */
export function sameHostPath(a: string, b: string): boolean {
    const trim = (p: string) => p.replace(/\\+$/, "");
    return sameIgnoringCase(trim(a), trim(b));
}

function same(compare: Comparison, a: unknown, b: unknown): boolean {
    if (compare === "path") return typeof a === "string" && typeof b === "string" && sameHostPath(a, b);
    return a === b;
}

/** The type the desired settings ask for, re-enabling included; undefined leaves it alone. */
export function desiredType(desired: DesiredCheckpointSettings, current: CheckpointType | null): CheckpointType | undefined {
    if (desired.checkpointType !== undefined) return desired.checkpointType;
    return desired.reenableCheckpoints && current === "Disabled" ? REENABLED_CHECKPOINT_TYPE : undefined;
}

/** Only the fields that differ; a VM that matches gets an empty change and nothing is written. */
export function settingsChange(current: CurrentCheckpointSettings, desired: DesiredCheckpointSettings, checkpointCount: number): CheckpointSettingsChange {
    const wanted: CheckpointSettingsChange = { ...desired };
    const type = desiredType(desired, current.checkpointType);
    if (type !== undefined) wanted.checkpointType = type;
    const keep = checkpointCount > 0 && desired.fileLocationWhileCheckpointed === "keep";
    const change: Record<string, unknown> = {};
    for (const rule of settingRules) {
        const value = wanted[rule.field];
        if (value === undefined || same(rule.compare, value, current[rule.field]) || (rule.keptWhileCheckpointed && keep)) continue;
        change[rule.field] = value;
    }
    return change as CheckpointSettingsChange;
}
