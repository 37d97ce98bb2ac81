# Which characters .NET's String.Equals(a, b, OrdinalIgnoreCase) takes for one another: every code
# point of the Basic Multilingual Plane (one UTF-16 unit) and of plane 1 (a surrogate pair: the
# planes above hold no cased letters), sorted by StringComparer.OrdinalIgnoreCase, then grouped
# where neighbours compare equal. Prints one line per group of two or more, as hex code points,
# the group's upper case first (the member ToUpperInvariant keeps as it is). Equality alone decides
# the groups: ToUpperInvariant maps U+017F (long s) to S, which OrdinalIgnoreCase does not.
# Read by scripts/ordinal-casing.mjs (which writes provider/host/ordinal-casing.ts) and by
# test/host/ordinal-casing.test.ts (which compares that table with the running PowerShell).
function Get-CodePoint([string]$Text) {
    if ($Text.Length -eq 1) { [int][char]$Text } else { [char]::ConvertToUtf32($Text, 0) }
}

function Get-CaseGroups([int]$First, [int]$Last) {
    $texts = [string[]]::new($Last - $First + 1)
    for ($cp = $First; $cp -le $Last; $cp++) {
        $texts[$cp - $First] = if ($cp -ge 0xD800 -and $cp -le 0xDFFF) { [string][char]$cp } else { [char]::ConvertFromUtf32($cp) }
    }
    [Array]::Sort($texts, [System.StringComparer]::OrdinalIgnoreCase)
    $group = [System.Collections.Generic.List[int]]::new()
    for ($i = 0; $i -le $texts.Length; $i++) {
        if ($i -gt 0 -and $i -lt $texts.Length -and [string]::Equals($texts[$i], $texts[$i - 1], [System.StringComparison]::OrdinalIgnoreCase)) {
            $group.Add((Get-CodePoint $texts[$i]))
            continue
        }
        if ($group.Count -gt 1) {
            $members = @($group | Sort-Object)
            $upper = @($members | Where-Object { [char]::ConvertFromUtf32($_).ToUpperInvariant() -ceq [char]::ConvertFromUtf32($_) })
            $head = if ($upper.Count -eq 1) { $upper[0] } else { $members[0] }
            (@($head) + @($members | Where-Object { $_ -ne $head }) | ForEach-Object { $_.ToString('X4') }) -join ' '
        }
        $group.Clear()
        if ($i -lt $texts.Length) { $group.Add((Get-CodePoint $texts[$i])) }
    }
}
@(Get-CaseGroups 0 0xFFFF) + @(Get-CaseGroups 0x10000 0x1FFFF) -join "`n"
