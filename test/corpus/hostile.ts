/**
 * Names and paths that break scripts which quote user values into their text. Shared by every
 * suite that proves values stay data: PowerShell quoting (' " and the typographic quotes PowerShell
 * also accepts, U+2018 to U+201B), subexpressions, variables, escapes, statement separators,
 * pipelines, comments, control characters, wildcards, lengths, scripts and paths.
 */
export const hostileNames: readonly string[] = [
    "plain",
    "it's",
    'say "hi"',
    "\u2018left single\u2019",
    "\u201Aleft low\u201B",
    "\u201Cdouble\u201D",
    "'; Remove-Item -Recurse C:\\ #",
    "\"; Stop-Computer; \"",
    "$(Stop-Computer)",
    "${env:USERNAME}",
    "$env:PATH",
    "`$(whoami)`",
    "back`tick`n",
    "a;b",
    "a|Out-Host",
    "a & b",
    "&(calc)",
    "line1\nline2",
    "line1\r\nRemove-VM -Force",
    "# comment",
    "<# block",
    "#> end",
    "nul\u0000byte",
    "wild*card",
    "what?",
    "[bracketed]",
    "a[b]c*d?e",
    "@{ a = 1 }",
    "@'\nhere\n'@",
    "x".repeat(100),
    "名前-チェックポイント",
    "バックアップ (ボリューム チェックポイント)",
    "Ünïcødé ñame",
    "emoji 🚀 name",
    " leading and trailing ",
    "",
];

export const hostilePaths: readonly string[] = [
    "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
    "C:\\Hyper-V Checkpoints\\web server",
    "D:\\VMs\\it's here\\",
    "\\\\fileserver\\share\\checkpoints",
    "\\\\fileserver\\share with space\\$weird$\\",
    "C:\\$(Stop-Computer)\\x",
    "E:\\名前\\チェックポイント",
    "C:\\a;b|c&d\\`e",
];

export const hostileCorpus: readonly string[] = [...hostileNames, ...hostilePaths];
