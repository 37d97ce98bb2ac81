import { createHash } from "node:crypto";
import { STARTED_MARKER } from "../markers";
import {
    applyCheckpointScript,
    applyCheckpointSettingsScript,
    capabilitiesScript,
    locateVmScript,
    powerVmScript,
    readVmScript,
    removeCheckpointScript,
    renameCheckpointScript,
    restoreCheckpointTypeScript,
    takeCheckpointScript,
    type OperationScript,
} from "../scripts";
import { operationPreferences, preludeDefinitions } from "../scripts/prelude";
import { operationRun } from "../scripts/render";

/*
 * The host-side module HypervCheckpoints: the provider's operations as functions, each taking the
 * one base64 JSON payload its script takes, generated from the same operation scripts (one source).
 * An endpoint restricted to it (endpoint/files.ts) lets the provider's account run these functions
 * and nothing else: the functions run in the module's full language, the caller in NoLanguage.
 */

export const MODULE_NAME = "HypervCheckpoints";

/** The module's version: the package's, so `npm update` and the module's upgrade go together. */
export const MODULE_VERSION: string = (require("hyperv-checkpoints/package.json") as { version: string }).version;

/** "take checkpoint" -> Invoke-HvcpTakeCheckpoint: the function is named for its operation. */
export function functionNameOf(script: OperationScript): string {
    return `Invoke-Hvcp${script.operation
        .split(" ")
        .map((word) => word[0]!.toUpperCase() + word.slice(1))
        .join("")}`;
}

const operations: readonly OperationScript[] = [
    capabilitiesScript,
    readVmScript,
    locateVmScript,
    applyCheckpointSettingsScript,
    takeCheckpointScript,
    applyCheckpointScript,
    renameCheckpointScript,
    removeCheckpointScript,
    restoreCheckpointTypeScript,
    powerVmScript,
];

/** What the session calls at its start: the module's version and the PowerShell it runs in. */
export const ENDPOINT_FUNCTION = "Get-HvcpEndpoint";
/** Ends the remote PowerShell processes a cut-off call left running (see protocol.ts). */
export const LEFT_BEHIND_FUNCTION = "Stop-HvcpLeftBehind";

/** Every function the module exports: an endpoint restricted to the module shows exactly these. */
export const MODULE_FUNCTIONS: readonly string[] = [ENDPOINT_FUNCTION, LEFT_BEHIND_FUNCTION, ...operations.map(functionNameOf)];

const payloadParameter = "param([Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9+/=]*$')][string]$Payload)";

const decodedPayload = "[System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Payload))";

/**
 * A remote call announces its process first (STARTED_MARKER, see protocol.ts): in a restricted
 * session the caller cannot send that line as text, so the function says it.
 */
const announceStart = `Write-Host ('${STARTED_MARKER}' + $PID + ':' + [System.Diagnostics.Process]::GetCurrentProcess().StartTime.ToUniversalTime().Ticks)`;

function operationFunction(script: OperationScript): string {
    return `function ${functionNameOf(script)} {
    [CmdletBinding()]
    ${payloadParameter}
    ${announceStart}
${indent(operationPreferences)}
${indent(operationRun(script, "$Payload").trimEnd())}
}`;
}

/**
 * Only PowerShell processes of this same program, never this session's own, matched by id and start
 * time to the second (protocol.ts says why): the account cannot end anything else through it.
 */
const leftBehindFunction = `function ${LEFT_BEHIND_FUNCTION} {
    [CmdletBinding()]
    ${payloadParameter}
    $self = [System.Diagnostics.Process]::GetCurrentProcess()
    foreach ($left in (ConvertFrom-Json -InputObject (${decodedPayload}) | ForEach-Object { $_ })) {
        $p = Get-Process -Id ([int]$left.id) -ErrorAction SilentlyContinue
        if ($null -ne $p -and $p.Id -ne $PID -and $p.ProcessName -eq $self.ProcessName -and [math]::Abs($p.StartTime.ToUniversalTime().Ticks - [long]$left.started) -lt 10000000) {
            Stop-Process -Id $p.Id -Force -ErrorAction SilentlyContinue
        }
    }
}`;

function endpointFunction(digest: string): string {
    return `function ${ENDPOINT_FUNCTION} {
    [CmdletBinding()]
    param()
    $build = $null
    try { $build = [int](CimCmdlets\\Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop).BuildNumber } catch { }
    ConvertTo-Json -Compress -InputObject ([ordered]@{
        moduleVersion = '${MODULE_VERSION}'
        moduleDigest = '${digest}'
        psEdition = [string]$PSVersionTable.PSEdition
        psVersion = $PSVersionTable.PSVersion.ToString()
        osBuild = $build
    })
}`;
}

/**
 * A RestrictedRemoteServer session replaces these cmdlets with proxy functions that take fewer
 * parameters (Select-Object without -First), and a function is found before a cmdlet of its name,
 * also from inside a module: the module names the cmdlets by their module.
 */
const sessionProxies: Record<string, string> = {
    "Select-Object": "Microsoft.PowerShell.Utility",
    "Measure-Object": "Microsoft.PowerShell.Utility",
    "Get-Command": "Microsoft.PowerShell.Core",
};

function withCmdletsByModule(text: string): string {
    return text.replace(/(?<![\\\w-])(Select-Object|Measure-Object|Get-Command)(?![\w-])/g, (name) => `${sessionProxies[name]}\\${name}`);
}

/** The module's functions and helpers; the digest is taken over this text. */
const moduleBody = withCmdletsByModule(
    [
        "Set-StrictMode -Off",
        // Inside the module the helpers are the module's own, not the session's globals.
        preludeDefinitions.replace(/function global:/g, "function "),
        leftBehindFunction,
        ...operations.map(operationFunction),
    ].join("\n\n"),
);

/** Names the exact module text: an installed module with another digest is another version of it. */
export const MODULE_DIGEST = createHash("sha256").update(moduleBody).update(MODULE_VERSION).digest("hex").slice(0, 16);

/** HypervCheckpoints.psm1: generated, never edited by hand. */
export const moduleText = `# ${MODULE_NAME} ${MODULE_VERSION} (${MODULE_DIGEST}), generated by hyperv-checkpoints: do not edit.
${moduleBody}

${endpointFunction(MODULE_DIGEST)}

Export-ModuleMember -Function ${MODULE_FUNCTIONS.map((name) => `'${name}'`).join(", ")}
`;

function indent(text: string): string {
    return text
        .split("\n")
        .map((line) => (line.length > 0 ? `    ${line}` : line))
        .join("\n");
}
