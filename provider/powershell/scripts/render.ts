import { operationPreferences } from "./prelude";
import { marked, unmarked } from "./text-mark";

/** One operation: a static body that reads $HvcpInput and sets $HvcpResult. */
export interface OperationScript {
    /** Names the operation in the script's first line and in messages. */
    readonly operation: string;
    readonly body: string;
}

/** Base64 of UTF-8 JSON: its alphabet (A-Z a-z 0-9 + / =) cannot end a single-quoted string. */
export function encodeParameter(input: unknown): string {
    return Buffer.from(JSON.stringify(marked(input)), "utf8").toString("base64");
}

/**
 * One operation as a script: static text plus exactly one parameter literal, the inputs as base64
 * JSON decoded inside. No user value is ever part of the script text (Terraform's hyperv provider
 * quotes values into templates; a name with a quote breaks out). What the module's function for
 * the operation runs (../module), with the literal in place of its parameter; the shells send the
 * function's call instead, and the transports of the tests read this. The helpers it calls are the
 * module's (protocol.ts runs a script inside the module).
 */
export function renderScript(script: OperationScript, input: unknown): string {
    return `# hyperv-checkpoints: ${script.operation}
${operationPreferences}
${operationRun(script, `'${encodeParameter(input)}'`)}`;
}

/**
 * An operation's body between reading its input from `payload` (a PowerShell expression holding the
 * base64 JSON: a literal in a script, a parameter in the host-side module) and printing its answer.
 * Shared by the scripts and by the module's functions (../module), so both run the same text.
 */
export function operationRun(script: OperationScript, payload: string): string {
    return `$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String(${payload}))))
$HvcpResult = $null
try {
${indent(script.body.trim())}
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
`;
}

function indent(text: string): string {
    return text
        .split("\n")
        .map((line) => (line.length > 0 ? `    ${line}` : line))
        .join("\n");
}

/** The parameter literal of a rendered script, decoded (tests and the stand-in shell read it). */
export function decodeParameter(script: string): unknown {
    const match = /FromBase64String\('([A-Za-z0-9+/=]*)'\)\)\)\)\n\$HvcpResult/.exec(script);
    if (match?.[1] === undefined) throw new Error("not a rendered operation script");
    return decodePayload(match[1]);
}

/** A function call's payload, decoded: the inputs as the operation reads them. */
export function decodePayload(payload: string): unknown {
    return unmarked(JSON.parse(Buffer.from(payload, "base64").toString("utf8")));
}
