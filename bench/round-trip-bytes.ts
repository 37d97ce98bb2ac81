import { frameInvocation, frameSessionStart } from "../provider/powershell/protocol";
import { renderScript } from "../provider/powershell/scripts";
import { prelude, PRELUDE_VERSION } from "../provider/powershell/scripts/prelude";
import { operations } from "../test/powershell/support/operations";

/*
 * Bytes per round trip, before and after the prelude was defined once per shell. "Before" is each
 * operation script with the prelude inlined where the script now checks the prelude's version:
 * what the provider sent with every operation until then. Measured for each operation's script
 * (what Invoke-Command carries to a remote host) and for the one stdin line the session writes
 * (local and remote framing: base64 of the script inside a command).
 *
 *   node dist/bench/round-trip-bytes.js
 */

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const versionCheck = new RegExp(`^if \\(\\$HvcpPreludeVersion -ne '${PRELUDE_VERSION}'\\) \\{ return '[^']*' \\}$`, "m");

function inlined(script: string): string {
    if (!versionCheck.test(script)) throw new Error("the script has no prelude version check to inline the prelude at");
    // The version line did not exist before: it is what lets a shell keep the prelude.
    const helpers = prelude.trimEnd().replace(/\n\$HvcpPreludeVersion = '[0-9a-f]+'$/, "");
    return script.replace(versionCheck, () => `\n${helpers}`);
}

interface Row {
    operation: string;
    scriptBefore: number;
    scriptAfter: number;
    localBefore: number;
    localAfter: number;
    remoteBefore: number;
    remoteAfter: number;
}

const rows: Row[] = operations.map((op) => {
    const after = renderScript(op.script, op.input(op.benign));
    const before = inlined(after);
    return {
        operation: op.file,
        scriptBefore: bytes(before),
        scriptAfter: bytes(after),
        localBefore: bytes(frameInvocation(before, false)),
        localAfter: bytes(frameInvocation(after, false)),
        remoteBefore: bytes(frameInvocation(before, true)),
        remoteAfter: bytes(frameInvocation(after, true)),
    };
});

const columns: [string, (r: Row) => string | number][] = [
    ["operation", (r) => r.operation],
    ["script before", (r) => r.scriptBefore],
    ["script after", (r) => r.scriptAfter],
    ["stdin line local before", (r) => r.localBefore],
    ["after", (r) => r.localAfter],
    ["stdin line remote before", (r) => r.remoteBefore],
    ["after", (r) => r.remoteAfter],
];

console.log(`| ${columns.map(([name]) => name).join(" | ")} |`);
console.log(`|${columns.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
for (const row of rows) console.log(`| ${columns.map(([, value]) => value(row)).join(" | ")} |`);

const mean = (pick: (r: Row) => number) => Math.round(rows.reduce((sum, r) => sum + pick(r), 0) / rows.length);
console.log(
    `\nmean script: ${mean((r) => r.scriptBefore)} → ${mean((r) => r.scriptAfter)} bytes; ` +
        `mean stdin line: local ${mean((r) => r.localBefore)} → ${mean((r) => r.localAfter)}, remote ${mean((r) => r.remoteBefore)} → ${mean((r) => r.remoteAfter)} bytes`,
);
console.log(
    `once per shell instead: the prelude, ${bytes(prelude)} bytes, inside the session start line ` +
        `(${bytes(frameSessionStart(null, process.pid))} bytes local); over SSH or WinRM it crosses the network once per remote session opened`,
);
