/**
 * Every string of a parameter starts with this mark on the wire. ConvertFrom-Json turns strings
 * that look like dates ("2024-01-01T00:00:00Z", "/Date(1700000000000)/") into DateTime, so a
 * checkpoint or VM of that name would arrive under another: with the mark no string looks like
 * one, and Restore-HvcpText takes the mark off again, leaving every string byte for byte.
 */
const TEXT_MARK = "~";

export function marked(value: unknown): unknown {
    if (typeof value === "string") return `${TEXT_MARK}${value}`;
    if (Array.isArray(value)) return value.map(marked);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marked(v)]));
    return value;
}

export function unmarked(value: unknown): unknown {
    if (typeof value === "string") return value.slice(TEXT_MARK.length);
    if (Array.isArray(value)) return value.map(unmarked);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmarked(v)]));
    return value;
}

/** Restore-HvcpText: the parameter as sent, after ConvertFrom-Json (one line: the session start defines it too). */
export const restoreTextFunction =
    "function global:Restore-HvcpText($Value) { " +
    "if ($Value -is [string]) { return $Value.Substring(1) }; " +
    "if ($Value -is [System.Management.Automation.PSCustomObject]) { foreach ($property in $Value.PSObject.Properties) { $property.Value = Restore-HvcpText $property.Value }; return $Value }; " +
    "if ($Value -is [System.Array]) { return ,[object[]]@(foreach ($item in $Value) { Restore-HvcpText $item }) }; " +
    "return $Value }";
