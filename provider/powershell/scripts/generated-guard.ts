import { guardCheckOrder, guardWords, memoryHoldingStates, NEW_DIFFERENCING_DISK_BYTES, type GuardCheck } from "../../host";

/*
 * The take guard's PowerShell side, generated from its one owner, provider/host/take-guard.ts:
 * the order of the checks (guardCheckOrder), the words (guardWords), the bytes a new differencing
 * disk takes and the states whose checkpoints write memory. What each check computes (a path's
 * volume, minFreeSpace in bytes, a chain's length) is written here once for PowerShell, and
 * test/powershell/guard-parity.test.ts runs it and take-guard.ts on the same cases: the two
 * cannot disagree without that test failing.
 */

/** A PowerShell single-quoted string literal of static text. */
export function quoted(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

/**
 * A guardWords template as a PowerShell -f expression: each `{name}` becomes the argument
 * `values[name]` (a PowerShell expression), literal braces are doubled.
 */
export function formatExpression(template: string, values: Readonly<Record<string, string>>): string {
    const names: string[] = [];
    const format = template.split(/(\{\w+\})/).map((part) => {
        const placeholder = /^\{(\w+)\}$/.exec(part);
        if (!placeholder) return part.replace(/[{}]/g, (brace) => brace + brace);
        const name = placeholder[1]!;
        const expression = values[name];
        if (expression === undefined) throw new Error(`guard words: no PowerShell value for {${name}} in "${template}"`);
        if (!names.includes(name)) names.push(name);
        return `{${names.indexOf(name)}}`;
    });
    return `(${quoted(format.join(""))} -f ${names.map((n) => values[n]).join(", ")})`;
}

/** One block per check, each returning { code, detail } when it refuses (see take-guard.ts). */
const checks: Record<GuardCheck, string> = {
    MergeInProgress: `    if ($null -ne $Before.merge) {
        return [ordered]@{ code = 'MergeInProgress'; detail = ${formatExpression(guardWords.MergeInProgress, { percentComplete: "$(if ($null -eq $Before.merge.percentComplete) { '?' } else { [int]$Before.merge.percentComplete })", bytesLeft: "$(if ($null -eq $Before.merge.bytesLeft) { '?' } else { [int64]$Before.merge.bytesLeft })" })} }
    }`,
    InsufficientSpace: `    $names = [string[]]@($needs.Keys)
    [Array]::Sort($names, [System.StringComparer]::Ordinal)
    foreach ($name in $names) {
        $volume = @($Storage.volumes | Where-Object { [string]$_.name -ceq $name })[0]
        $need = [int64]$needs[$name]
        $keep = [int64]0
        $min = $Guard.minFreeSpace
        if ($null -ne $min) {
            if ([string]$min -match '^([0-9.]+)%$') { $keep = [int64][Math]::Ceiling([double]$volume.capacity * [double]::Parse($Matches[1], [System.Globalization.CultureInfo]::InvariantCulture) / 100) }
            else { $keep = [int64]$min }
        }
        if ([int64]$volume.freeSpace - $need -ge $keep) { continue }
        $clause = ''
        if ($keep -gt 0) { $clause = ${formatExpression(guardWords.minFreeSpaceClause, { minFreeSpace: "[string]$min", keep: "$keep", capacity: "[int64]$volume.capacity" })} }
        return [ordered]@{ code = 'InsufficientSpace'; detail = ${formatExpression(guardWords.InsufficientSpace, {
            volume: "$name",
            free: "[int64]$volume.freeSpace",
            need: "$need",
            clause: "$clause",
            needed: "($need + $keep)",
        })} }
    }`,
    ChainTooDeep: `    if ($null -ne $Guard.maxChainDepth) {
        $parents = @{}
        foreach ($d in @($Storage.disks)) { $parents[([string]$d.path).ToLowerInvariant()] = $d.parentPath }
        $deepest = 0
        foreach ($disk in @($Before.hardDrives)) {
            $length = 0
            $parent = $parents[([string]$disk).ToLowerInvariant()]
            while ($parent -and $length -le $parents.Count) { $length++; $parent = $parents[([string]$parent).ToLowerInvariant()] }
            if ($length -gt $deepest) { $deepest = $length }
        }
        $depth = $deepest + 1
        if ($depth -gt [int]$Guard.maxChainDepth) {
            return [ordered]@{ code = 'ChainTooDeep'; detail = ${formatExpression(guardWords.ChainTooDeep, { depth: "$depth", maxChainDepth: "[int]$Guard.maxChainDepth" })} }
        }
    }`,
};

/**
 * Get-HvcpGuardRefusal $Before $Storage $WritesMemory $Guard: the first limit the take breaks, as
 * { code, detail }, or $null (guardRefusal). $Before: the VM as ConvertTo-HvcpVm projects it;
 * $Storage: ConvertTo-HvcpStorage; $Guard: { minFreeSpace, maxChainDepth }.
 */
export const guardRefusalFunction = [
    "function Get-HvcpGuardRefusal($Before, $Storage, [bool]$WritesMemory, $Guard) {",
    // Keys compared as take-guard.ts's Map compares them (a PowerShell @{} ignores case).
    "    $needs = [System.Collections.Hashtable]::new([System.StringComparer]::Ordinal)",
    "    $add = {",
    "        param([string]$Path, [int64]$Bytes)",
    "        $volume = @($Storage.volumes | Where-Object { $Path.StartsWith([string]$_.name, [System.StringComparison]::OrdinalIgnoreCase) -or [string]::Equals($Path + '\\', [string]$_.name, [System.StringComparison]::OrdinalIgnoreCase) } | Sort-Object -Property { ([string]$_.name).Length } -Descending) | Select-Object -First 1",
    "        if ($null -ne $volume) { $needs[[string]$volume.name] = [int64]$needs[[string]$volume.name] + $Bytes }",
    "    }",
    `    foreach ($disk in @($Before.hardDrives)) { & $add ([string]$disk) ${NEW_DIFFERENCING_DISK_BYTES} }`,
    "    if ($WritesMemory) { & $add ([string]$Before.checkpointFileLocation) ([int64]$Storage.memoryBytes) }",
    ...guardCheckOrder.map((code) => checks[code]),
    "    return $null",
    "}",
].join("\n");

/**
 * Test-HvcpTakeWritesMemory $Before $TypeUsed: whether the take writes the VM's memory, as
 * takeWritesMemory has it (a standard checkpoint, planned as plannedCheckpointKind plans it, of a
 * VM in a state that holds memory). Uses Get-HvcpProductionBlocker (generated-rules.ts).
 */
export const takeWritesMemoryFunction = [
    "function Test-HvcpTakeWritesMemory($Before, [string]$TypeUsed) {",
    `    if (@(${memoryHoldingStates.map(quoted).join(", ")}) -notcontains [string]$Before.state) { return $false }`,
    "    if (-not $TypeUsed -or $TypeUsed -eq 'Standard') { return $true }",
    "    if ($TypeUsed -ne 'Production' -or $Before.state -eq 'Off') { return $false }",
    "    return $null -ne (Get-HvcpProductionBlocker $Before)",
    "}",
].join("\n");
