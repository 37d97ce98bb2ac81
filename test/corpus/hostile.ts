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
    '"; Stop-Computer; "',
    "$(Stop-Computer)",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: PowerShell's ${...} variable syntax, as hostile text
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
    "y".repeat(101),
    "   ",
    "\t",
    "\u202Egnp.exe\u202C",
    "\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD",
    "\u0645\u0631\u062D\u0628\u0627 web01",
    "e\u0301\u0301\u0301\u0301",
    "Z\u0364\u0351a\u0308\u0356l\u036Eg\u030Co\u0319",
    "a\u0301".repeat(60),
    "CON",
    "nul",
    "COM1.txt",
    "LPT9",
    // Values a shell, a JSON parser, a serialiser or a terminal could reinterpret (one line each: what it could break).
    "\uD800", // a lone high surrogate: no UTF-8 encoding exists; decoders substitute U+FFFD
    "lone low \uDC00 half", // a lone low surrogate inside text: same, mid-string
    "\uDE80\uD83D reversed pair", // a surrogate pair in the wrong order: two lone halves, not an emoji
    "\\u0022", // a JSON escape written literally: a second JSON decode turns it into a quote
    "\\u0000 literal", // a literal \u0000: a second JSON decode turns it into a NUL
    '\\"; Stop-Computer; \\"', // C-style escaped quotes: a quoter that escapes with backslashes breaks out
    "ends with a backslash\\", // a trailing backslash escapes the closing quote in JSON, C# or bash quoting
    "\\\\server\\share", // a UNC path as a name: naive unescaping halves the backslashes
    " \t \t ", // spaces and tabs only: Trim() or word splitting leaves nothing
    "\t tabs and spaces around \t", // leading and trailing tabs and spaces: lost by Trim() or word splitting
    "\u00A0\u2003\u3000", // no-break, em and ideographic spaces only: whitespace to Trim(), not to a shell
    "\uFEFFbom first", // a BOM first: UTF-8 readers strip it as an encoding signature
    "bom last\uFEFF", // a BOM elsewhere (zero-width no-break space): ignorable to culture-aware comparison
    "web\u200D01", // a zero-width joiner: invisible, ignored by culture-aware comparison (-eq, -ceq)
    "\u200B", // a zero-width space alone: looks empty, is not
    "\u202Eright-to-left override", // U+202E with no pop: reverses how the rest of a log line displays
    "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 family", // emoji joined by ZWJ: 8 UTF-16 units displayed as one
    "\uD835\uDD18\uD835\uDD2B\uD835\uDD26 \uD801\uDC37", // letters beyond the BMP (surrogate pairs), one with a case mapping (Deseret)
    "\uD83D\uDE80".repeat(50), // 50 emoji: 50 code points but 100 UTF-16 units, Hyper-V's limit exactly
    "\u540D".repeat(100), // 100 characters but 300 bytes of UTF-8: a byte count refuses it
    "--%", // PowerShell's stop-parsing token: the rest of a command line goes verbatim
    "a --% $(Stop-Computer)", // stop-parsing, then a subexpression
    "@@HVCP@@eyJvayI6bnVsbH0=", // our result marker and base64 of {"ok":null}: a forged answer on stdout
    "eyJvayI6e319", // base64 of {"ok":{}}: a decoder handed the value instead of the answer accepts it
    "$true", // a PowerShell constant: a value evaluated rather than passed becomes a boolean
    "0x1F", // a hex literal: PowerShell makes it 31 wherever a string meets a number
    "1e3", // an exponent literal: 1000 as a number
    "2024-01-01T00:00:00Z", // an ISO 8601 date: ConvertFrom-Json turns date-like strings into DateTime
    "/Date(1700000000000)/", // Microsoft's JSON date format: Newtonsoft reads it as a DateTime
    "_x0041_ _x000D__x000A_", // CLIXML's own escapes (PowerShell remoting): a literal one must not be decoded
    "{0} {1} {name}", // format placeholders: a message built with -f, String.Format or a template fills them
    "\u001b[31mred\u001b[0m", // ANSI colour codes: a terminal or PowerShell's formatter acts on them
    "\u001b]0;title\u0007", // an OSC set-title sequence ended by BEL
    "CR\ralone", // a bare CR: a line break to some readers, a carriage return on a terminal
    "\r", // a bare CR and nothing else
    "form\ffeed", // a form feed: whitespace to PowerShell's tokenizer
    "\f", // a form feed and nothing else
    "next\u0085line", // NEL: a line break to .NET readers
    "line\u2028separator", // LS: a line terminator to JavaScript before ES2019 and to some editors
    "del\u007F and backspace\b", // DEL and backspace: rub out characters on a terminal
    "trailing backtick`", // PowerShell's escape character last: a line continuation
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
    "\\\\?\\C:\\Checkpoints",
    "\\\\?\\UNC\\server\\share",
    "\\\\.\\PhysicalDrive0",
    "..\\Checkpoints",
    "Checkpoints\\web01",
    "C:\\Checkpoints\\..\\Windows",
    "\\\\server\\share\\..\\..\\Windows",
    "C:\\CON\\checkpoints",
    "C:/Checkpoints",
    "C:\\Check\u202Epoints",
    `C:\\${"p".repeat(300)}`,
    "",
    "   ",
    // The values above as folder names, in Windows paths (one line each: what it could break).
    "D:\\Checkpoints\\$null", // a PowerShell constant as a folder
    "D:\\Checkpoints\\$true\\0x1F\\1e3", // constants and number literals as folders
    "D:\\Checkpoints\\--%", // the stop-parsing token as a folder
    "D:\\Checkpoints\\@@HVCP@@eyJvayI6bnVsbH0=", // our result marker and base64 in a path
    "D:\\Checkpoints\\\\u0022", // a literal JSON escape after a backslash: a second decode makes it a quote
    "D:\\Checkpoints\\_x0041_", // a CLIXML escape as a folder (remoting)
    "D:\\Checkpoints\\{0}", // a format placeholder as a folder
    "D:\\Checkpoints\\trailing backtick`", // PowerShell's escape last
    "D:\\Checkpoints\\ leading space", // a folder with a leading space: lost by Trim()
    "D:\\Checkpoints\\trailing space ", // a trailing space: Windows drops it, Trim() drops it
    "D:\\Checkpoints\\\ttabs\t", // tabs around a folder name
    " D:\\Checkpoints", // a leading space before the drive: not absolute to a strict parser
    " \t ", // spaces and a tab only
    "D:\\Checkpoints\\\uFEFFbom", // a BOM at the start of a folder name
    "D:\\Checkpoints\\web\u200D01", // a zero-width joiner in a folder name
    "D:\\Checkpoints\\\u202Etxt.exe", // a right-to-left override in a folder name
    "D:\\Checkpoints\\\uD83D\uDE80 \uD801\uDC37", // characters beyond the BMP (surrogate pairs)
    "D:\\Checkpoints\\\uD800", // a lone surrogate in a folder name: no UTF-8 encoding exists
    "D:\\Checkpoints\\\u001b[31mred", // an ANSI escape sequence in a folder name
    "D:\\Checkpoints\\CR\ralone", // a bare CR in a folder name
    "D:\\Checkpoints\\form\ffeed", // a form feed in a folder name
    "D:\\Checkpoints\\nul\u0000byte", // a NUL in a folder name: ends the string for C APIs
    "D:\\Checkpoints\\ends with backslashes\\\\", // two trailing backslashes: trimmed as one by some, both by others
];

/**
 * Names that are also words of the PowerShell adapter's own static command text: `$null` and the
 * bare result marker. Kept out of hostileNames because scripts.injection's check that "no connection
 * value appears in clear" in the session command cannot tell them from a leak (the command has them
 * whatever the value); the contract suite sends them through real shells.
 */
export const hostileScriptWords: readonly string[] = [
    "$null", // a PowerShell constant: evaluated, it becomes nothing at all
    "@@HVCP@@", // our result marker alone: an answer with an empty payload
];

export const hostileCorpus: readonly string[] = [...hostileNames, ...hostilePaths];
