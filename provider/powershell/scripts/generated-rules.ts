import { MIN_PRODUCTION_VERSION, productionBlockerRules, REENABLED_CHECKPOINT_TYPE, settingRules, type BlockerCondition, type SettingRule } from "../../host";

/*
 * PowerShell functions generated from the provider's own rules in provider/host, so that the
 * scripts check exactly what the provider checks, with the same words: a rule changes in one place.
 */

/** A PowerShell single-quoted string literal of static text. */
function quoted(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

function condition(when: BlockerCondition): string {
    if ("versionBelow" in when) return `[version]$Projected.version -lt [version]${quoted(when.versionBelow)}`;
    if ("stateIsNot" in when) return `$Projected.state -ne ${quoted(when.stateIsNot)}`;
    if (when.backupService === "missing") return "$null -eq $Projected.backupService";
    if (when.backupService === "disabled") return "$null -ne $Projected.backupService -and -not $Projected.backupService.enabled";
    return "$null -ne $Projected.backupService -and -not $Projected.backupService.guestResponding";
}

/** The detail as a -f format: {version} and {state} become arguments, {minVersion} is static. */
function detail(template: string): string {
    const format = template
        .replace(/[{}]/g, (brace) => brace + brace)
        .replace("{{version}}", "{0}")
        .replace("{{state}}", "{1}")
        .replace("{{minVersion}}", MIN_PRODUCTION_VERSION);
    return `(${quoted(format)} -f $Projected.version, $Projected.state)`;
}

/** Get-HvcpProductionBlocker $Projected [-PermanentOnly]: the first blocker's detail, or $null. */
export const productionBlockerFunction = [
    "function Get-HvcpProductionBlocker($Projected, [switch]$PermanentOnly) {",
    ...productionBlockerRules.map(
        (rule) => `    if (${rule.permanent ? "" : "-not $PermanentOnly -and "}(${condition(rule.when)})) { return ${detail(rule.detail)} }`,
    ),
    "    return $null",
    "}",
].join("\n");

function differs(rule: SettingRule): string {
    const current = `$Before.${rule.field}`;
    switch (rule.compare) {
        case "exact":
            return `[string]$value -cne [string]${current}`;
        case "path":
            return `$null -eq ${current} -or -not [string]::Equals(([string]$value).TrimEnd('\\'), ([string]${current}).TrimEnd('\\'), [System.StringComparison]::OrdinalIgnoreCase)`;
        case "boolean":
            return `$null -eq ${current} -or [bool]$value -ne [bool]${current}`;
    }
}

/**
 * Get-HvcpSettingsChange $Before $Desired $CheckpointCount: the fields that differ, as an ordered
 * hashtable keyed by the port's field names (settingsChange in provider/host).
 */
export const settingsChangeFunction = [
    "function Get-HvcpSettingsChange($Before, $Desired, [int]$CheckpointCount) {",
    "    $wanted = @{}",
    ...settingRules.map((rule) => `    $wanted.${rule.field} = $Desired.${rule.field}`),
    `    if (-not $wanted.checkpointType -and $Desired.reenableCheckpoints -and $Before.checkpointType -ceq 'Disabled') { $wanted.checkpointType = ${quoted(REENABLED_CHECKPOINT_TYPE)} }`,
    "    $keep = $CheckpointCount -gt 0 -and [string]$Desired.fileLocationWhileCheckpointed -eq 'keep'",
    "    $change = [ordered]@{}",
    ...settingRules.flatMap((rule) => [
        `    $value = $wanted.${rule.field}`,
        `    if ($null -ne $value${rule.keptWhileCheckpointed ? " -and -not $keep" : ""} -and (${differs(rule)})) { $change.${rule.field} = $value }`,
    ]),
    "    return $change",
    "}",
].join("\n");
