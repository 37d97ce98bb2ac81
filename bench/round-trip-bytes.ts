import { frameCall, frameScript, frameSessionStart } from "../provider/powershell/protocol";
import { functionNameOf, moduleText } from "../provider/powershell/module/module";
import { encodeParameter, renderScript } from "../provider/powershell/scripts";
import { operations } from "../test/powershell/support/operations";

/*
 * Bytes per round trip, with each operation sent as its script's text (as the provider did before
 * uploaded endpoints called the module's functions) and as the call of its function (now, in every
 * mode). Measured for the one stdin line the session writes, local and remote (what Invoke-Command
 * carries to a remote host is inside it), and for the module's text, sent once per shell.
 *
 *   node dist/bench/round-trip-bytes.js
 */

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

interface Row {
    operation: string;
    localScript: number;
    localCall: number;
    remoteScript: number;
    remoteCall: number;
}

const rows: Row[] = operations.map((op) => {
    const input = op.input(op.benign);
    const script = renderScript(op.script, input);
    const call = { function: functionNameOf(op.script), payload: encodeParameter(input) };
    return {
        operation: op.file,
        localScript: bytes(frameScript(script, false)),
        localCall: bytes(frameCall(call, false)),
        remoteScript: bytes(frameScript(script, true)),
        remoteCall: bytes(frameCall(call, true)),
    };
});

const columns: [string, (r: Row) => string | number][] = [
    ["operation", (r) => r.operation],
    ["stdin line local, script", (r) => r.localScript],
    ["call", (r) => r.localCall],
    ["stdin line remote, script", (r) => r.remoteScript],
    ["call", (r) => r.remoteCall],
];

console.log(`| ${columns.map(([name]) => name).join(" | ")} |`);
console.log(`|${columns.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
for (const row of rows) console.log(`| ${columns.map(([, value]) => value(row)).join(" | ")} |`);

const mean = (pick: (r: Row) => number) => Math.round(rows.reduce((sum, r) => sum + pick(r), 0) / rows.length);
console.log(
    `\nmean stdin line: local ${mean((r) => r.localScript)} → ${mean((r) => r.localCall)}, remote ${mean((r) => r.remoteScript)} → ${mean((r) => r.remoteCall)} bytes`,
);
console.log(
    `once per shell instead: the module, ${bytes(moduleText)} bytes, inside the session start line ` +
        `(${bytes(frameSessionStart(null, process.pid))} bytes local); over SSH or WinRM it crosses the network once per remote session opened`,
);
