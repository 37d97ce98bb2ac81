import { prelude } from "./scripts/prelude";
import { encodeParameter } from "./scripts/render";
import { restoreTextFunction } from "./scripts/text-mark";
import { UNDO_MARKER } from "./scripts/undo";
import { ENDPOINT_FUNCTION, LEFT_BEHIND_FUNCTION, MODULE_FUNCTIONS } from "./module/module";
import type { EndpointMode } from "./target";
import type { FunctionCall } from "./transport";
import { STARTED_MARKER } from "./markers";
import { watchdog } from "./watchdog";

/**
 * What the session writes on the shell's stdin and how it finds the answer in stdout.
 *
 * The shell runs with `-Command -` (shell-process.ts), and each command is written as a line. PowerShell
 * executes stdin line by line (a multi-line block needs a blank line to end it), and Windows
 * PowerShell 5.1 reads and writes the console in the OEM code page. So every command is ONE line
 * of ASCII: the operation script travels base64-encoded and is turned back into a script block in
 * the shell, and the answer comes back base64-encoded after a marker, so warnings or other text on
 * stdout cannot be mistaken for it and Japanese names survive any console code page.
 */
export const RESULT_MARKER = "@@HVCP@@";

const decode = (literal: string) => `[System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${literal}'))`;

export { STARTED_MARKER } from "./markers";

const announceStart = `Write-Host ('${STARTED_MARKER}' + $PID + ':' + [System.Diagnostics.Process]::GetCurrentProcess().StartTime.ToUniversalTime().Ticks)`;

/** A remote PowerShell process, named so that a reused id is not taken for it. */
export interface RemoteProcess {
    id: number;
    /** Its start time in .NET ticks (UTC), as text: too large for a JavaScript number. */
    started: string;
}

/** The remote process that ran the command whose stdout this is, from its start announcement; null when it never started. */
export function remoteProcessIn(stdout: string): RemoteProcess | null {
    const match = new RegExp(`${STARTED_MARKER}(\\d+):(\\d+)`).exec(stdout);
    return match ? { id: Number(match[1]), started: match[2]! } : null;
}

/**
 * Run in a remote session before the next script: ends the remote PowerShell processes a stopped
 * shell or a lost connection left behind, if they still run (a remote shell still running a take
 * is what a compensation must not race). Matched by id and start time, to the second: .NET derives
 * a process's start time from uptime on Linux, and two processes read it milliseconds apart.
 * Never the session's own process. (The pipe unrolls the array Windows PowerShell 5.1's
 * ConvertFrom-Json returns as one object.)
 */
const endLeftBehind =
    "param([string]$json) foreach ($left in (ConvertFrom-Json -InputObject $json | ForEach-Object { $_ })) { $p = Get-Process -Id ([int]$left.id) -ErrorAction SilentlyContinue; if ($null -ne $p -and $p.Id -ne $PID -and [math]::Abs($p.StartTime.ToUniversalTime().Ticks - [long]$left.started) -lt 10000000) { Stop-Process -Id $p.Id -Force -ErrorAction SilentlyContinue } }";

/** The error of the failed command as an envelope; `connectionLost` when the remote session broke. */
const errorEnvelope = (connectionLost: string) =>
    `$HvcpOut = ConvertTo-Json -Compress -InputObject ([ordered]@{ error = [ordered]@{ fullyQualifiedErrorId = [string]$_.FullyQualifiedErrorId; category = $_.CategoryInfo.Category.ToString(); exceptionType = $_.Exception.GetType().FullName; message = [string]$_.Exception.Message; target = $null; connectionLost = ${connectionLost} } })`;

const frameCatch = errorEnvelope("$false");

// A remote session that is no longer Opened after a failure lost its connection (Invoke-Command
// then fails with InvalidRunspaceStateException, or a transport exception).
const remoteFrameCatch = errorEnvelope("($null -ne $global:HvcpRemote -and $global:HvcpRemote.State.ToString() -ne 'Opened')");

const writeResult = `[Console]::Out.WriteLine('${RESULT_MARKER}' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes([string]$HvcpOut)))`;

/**
 * Every operation script prints its answer: a remote invocation that returns nothing without an
 * error lost its channel in an orderly way (the process sshd started for the subsystem exited),
 * with the session still reading Opened. It is a lost connection, and the session is dropped so
 * that the next invocation opens a new one instead of failing on a dead runspace.
 */
const noAnswer = `$HvcpOut = ConvertTo-Json -Compress -InputObject ([ordered]@{ error = [ordered]@{ fullyQualifiedErrorId = 'HvcpNoAnswer'; category = 'ConnectionError'; exceptionType = 'System.Management.Automation.Remoting.PSRemotingTransportException'; message = 'the remote session ended without an answer'; target = $null; connectionLost = $true } }); Remove-PSSession -Session $global:HvcpRemote -ErrorAction SilentlyContinue; $global:HvcpRemote = $null`;

/**
 * One invocation: run the script here (local) or in the remote session, print the framed result.
 * Remote: first end the remote processes in `leftBehind`, in the session that will run the script.
 */
export function frameInvocation(script: string, remote: boolean, leftBehind: readonly RemoteProcess[] = []): string {
    const text = remote ? `${announceStart}\n${script}` : script;
    const block = `([scriptblock]::Create(${decode(Buffer.from(text, "utf8").toString("base64"))}))`;
    if (!remote) return `try { $HvcpOut = @(& ${block}) -join [char]10 } catch { ${frameCatch} }; ${writeResult}`;
    const end =
        leftBehind.length === 0
            ? ""
            : `$null = Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ([scriptblock]::Create(${decode(Buffer.from(endLeftBehind, "utf8").toString("base64"))})) -ArgumentList (${decode(Buffer.from(JSON.stringify(leftBehind), "utf8").toString("base64"))}) -ErrorAction Stop; `;
    // -ErrorAction Stop: a connection lost mid-way is otherwise a non-terminating error and an empty result.
    const run = `Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ${block} -ErrorAction Stop`;
    return `try { ${end}$HvcpAll = @(${run}); if ($HvcpAll.Count -eq 0) { ${noAnswer} } else { $HvcpOut = $HvcpAll -join [char]10 } } catch { ${remoteFrameCatch} }; ${writeResult}`;
}

/** A call of the host-side module's function: one command with one literal argument, which NoLanguage allows. */
export function functionCallText(call: FunctionCall | { function: string }): string {
    return "payload" in call ? `${call.function} -Payload '${call.payload}'` : call.function;
}

const functionCallBlock = (call: FunctionCall | { function: string }) =>
    `([scriptblock]::Create(${decode(Buffer.from(functionCallText(call), "utf8").toString("base64"))}))`;

/**
 * One invocation on an installed endpoint (README "Least privilege"): the module's function by name
 * with its payload, in the remote session; no script text. The function announces its start itself.
 */
export function frameFunctionCall(call: FunctionCall, leftBehind: readonly RemoteProcess[] = []): string {
    const end =
        leftBehind.length === 0
            ? ""
            : `$null = Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ${functionCallBlock({ function: LEFT_BEHIND_FUNCTION, payload: Buffer.from(JSON.stringify(leftBehind), "utf8").toString("base64") })} -ErrorAction Stop; `;
    const run = `Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ${functionCallBlock(call)} -ErrorAction Stop`;
    return `try { ${end}$HvcpAll = @(${run}); if ($HvcpAll.Count -eq 0) { ${noAnswer} } else { $HvcpOut = $HvcpAll -join [char]10 } } catch { ${remoteFrameCatch} }; ${writeResult}`;
}

/** The fully qualified error id of the session start that met a restricted endpoint in uploaded mode. */
export const RESTRICTED_ENDPOINT_ERROR = "HvcpRestrictedEndpoint";

/**
 * A restricted endpoint hides Invoke-Expression (and everything else a script needs): asked with one
 * literal command, before any script text is sent to it.
 */
const refuseRestricted = (session: string) =>
    `if ($null -eq (Invoke-Command -Session ${session} -ScriptBlock ([scriptblock]::Create('Get-Command -Name Invoke-Expression -ErrorAction SilentlyContinue')) -ErrorAction Stop)) { throw [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('the endpoint is restricted: it runs no script text'), '${RESTRICTED_ENDPOINT_ERROR}', [System.Management.Automation.ErrorCategory]::PermissionDenied, $null) }`;

/** What the session start of an installed endpoint asks: which of the module's functions the endpoint has. */
const listFunctions = `Get-Command -Name ${MODULE_FUNCTIONS.join(", ")} -ErrorAction SilentlyContinue`;

/**
 * Keeps the prelude's text in the shell's memory ($global:HvcpPreludeText), so defining it again
 * (a remote session reopened, a shell that lost it) sends no more than a reference to it.
 */
const keepPrelude = `$global:HvcpPreludeText = ${decode(Buffer.from(prelude, "utf8").toString("base64"))}`;

/**
 * Defines the prelude here: dot-sourced from a top-level command, so in the shell's global scope,
 * where every later operation script finds it.
 */
const definePreludeHere = ". ([scriptblock]::Create($global:HvcpPreludeText))";

/**
 * Defines the prelude in a remote session: Invoke-Command -Session runs in the session's global
 * scope, which keeps functions and variables from one command to the next.
 */
const definePreludeIn = (session: string) =>
    `$null = Invoke-Command -Session ${session} -ScriptBlock ([scriptblock]::Create($global:HvcpPreludeText)) -ErrorAction Stop`;

/**
 * Sent once when the shell starts. It leaves the watchdog that ends the shell if the provider dies
 * (watchdog.ts; not when `providerPid` is null: a shared process starts one for all its sessions), and keeps the prelude and defines it where the scripts run
 * (here, or in every remote session it opens). For remote targets it keeps the New-PSSession
 * parameters and the credential in the shell's memory (they arrive as base64 JSON, never on a
 * command line) and opens the remote session; Get-HvcpRemoteSession reopens it if it broke, and
 * defines the prelude in the new session.
 */
export function frameSessionStart(connect: Record<string, unknown> | null, providerPid: number | null, endpoint: EndpointMode = "uploaded"): string {
    // No pid: the session runs in a process that has its watchdog already (shell-host-loop.ts).
    const common = providerPid === null ? "$ProgressPreference = 'SilentlyContinue'" : `$ProgressPreference = 'SilentlyContinue'; ${watchdog(providerPid)}`;
    // Which PowerShell runs the Hyper-V cmdlets, on which Windows build: asked where the scripts
    // will run (in the remote session for remote targets), so the session can refuse a pairing
    // that cannot work before any operation (see shell-compatibility.ts).
    const probe =
        "{ $build = $null; try { $build = [int](CimCmdlets\\Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop).BuildNumber } catch { }; [pscustomobject]@{ psEdition = [string]$PSVersionTable.PSEdition; psVersion = $PSVersionTable.PSVersion.ToString(); osBuild = $build } }";
    const report = (run: string) =>
        `$HvcpProbe = ${run}; $HvcpOut = ConvertTo-Json -Compress -InputObject ([ordered]@{ ok = [ordered]@{ psEdition = [string]$HvcpProbe.psEdition; psVersion = [string]$HvcpProbe.psVersion; osBuild = $HvcpProbe.osBuild } })`;
    if (!connect) return `${common}; try { ${keepPrelude}; ${definePreludeHere}; ${report(`& ${probe}`)} } catch { ${frameCatch} }; ${writeResult}`;
    const keep = [
        keepPrelude,
        restoreTextFunction,
        `$global:HvcpConnect = Restore-HvcpText (ConvertFrom-Json -InputObject (${decode(encodeParameter(connect))}))`,
        "$global:HvcpCredential = $null",
        "if ($global:HvcpConnect.kind -eq 'winrm' -and $global:HvcpConnect.UserName) { $global:HvcpCredential = [System.Management.Automation.PSCredential]::new([string]$global:HvcpConnect.UserName, (ConvertTo-SecureString -String ([string]$global:HvcpConnect.Password) -AsPlainText -Force)) }",
        "$global:HvcpParameters = @{ ErrorAction = 'Stop' }",
        "foreach ($property in $global:HvcpConnect.PSObject.Properties) { if ($property.Name -notin @('kind', 'Password') -and -not ($global:HvcpConnect.kind -eq 'winrm' -and $property.Name -eq 'UserName')) { $global:HvcpParameters[$property.Name] = $property.Value } }",
        // New-PSSession -Options takes a hashtable of ssh options; JSON gives an object.
        // PowerShell before 7.3 has no -Options: go without BatchMode there, but never ignore a known_hosts file.
        "if ($global:HvcpParameters.ContainsKey('Options')) { $options = @{}; foreach ($option in $global:HvcpParameters['Options'].PSObject.Properties) { $options[$option.Name] = [string]$option.Value }; $global:HvcpParameters.Remove('Options'); if ((Get-Command -Name New-PSSession).Parameters.ContainsKey('Options')) { $global:HvcpParameters['Options'] = $options } elseif ($options.ContainsKey('UserKnownHostsFile')) { throw [System.NotSupportedException]::new('hyperv:knownHostsFile needs PowerShell 7.3 or later on this machine (New-PSSession -Options)') } }",
        "if ($null -ne $global:HvcpCredential) { $global:HvcpParameters['Credential'] = $global:HvcpCredential }",
        "$global:HvcpConnect = $null",
        `function global:Get-HvcpRemoteSession { if ($null -eq $global:HvcpRemote -or $global:HvcpRemote.State.ToString() -ne 'Opened') { if ($null -ne $global:HvcpRemote) { Remove-PSSession -Session $global:HvcpRemote -ErrorAction SilentlyContinue }; $global:HvcpRemote = New-PSSession @global:HvcpParameters; ${endpoint === "installed" ? "" : `${refuseRestricted("$global:HvcpRemote")}; ${definePreludeIn("$global:HvcpRemote")} `}}; $global:HvcpRemote }`,
    ].join("; ");
    if (endpoint === "installed") {
        // The functions found, and what the module says of itself and its PowerShell when it is there.
        const found = `$HvcpFound = @(Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ([scriptblock]::Create('${listFunctions}')) -ErrorAction Stop | ForEach-Object { [string]$_.Name })`;
        const describe = `$HvcpEndpoint = $null; if ($HvcpFound -contains '${ENDPOINT_FUNCTION}') { $HvcpEndpoint = ConvertFrom-Json -InputObject ([string](Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ${functionCallBlock({ function: ENDPOINT_FUNCTION })} -ErrorAction Stop)) }`;
        const answer = `$HvcpOut = ConvertTo-Json -Compress -Depth 4 -InputObject ([ordered]@{ ok = [ordered]@{ psEdition = [string]$HvcpEndpoint.psEdition; psVersion = [string]$HvcpEndpoint.psVersion; osBuild = $HvcpEndpoint.osBuild; moduleVersion = $HvcpEndpoint.moduleVersion; moduleDigest = $HvcpEndpoint.moduleDigest; functions = [string[]]$HvcpFound } })`;
        return `${common}; try { ${keep}; ${found}; ${describe}; ${answer} } catch { ${frameCatch} }; ${writeResult}`;
    }
    return `${common}; try { ${keep}; ${report(`Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ${probe}`)} } catch { ${frameCatch} }; ${writeResult}`;
}

/**
 * Defines the prelude again where the scripts run, from the text the shell keeps: sent when an
 * operation script answered that its shell lacks this version of it (PRELUDE_MISSING_ANSWER).
 */
export function framePreludeDefinition(remote: boolean): string {
    const done = `$HvcpOut = '{"ok":true}'`;
    if (!remote) return `try { ${definePreludeHere}; ${done} } catch { ${frameCatch} }; ${writeResult}`;
    return `try { ${definePreludeIn("(Get-HvcpRemoteSession)")}; ${done} } catch { ${remoteFrameCatch} }; ${writeResult}`;
}

/** Sent before the shell is disposed: closes the remote session cleanly. */
export const frameSessionEnd = "if ($null -ne $global:HvcpRemote) { Remove-PSSession -Session $global:HvcpRemote -ErrorAction SilentlyContinue }";

/** The framed answer in a command's stdout, decoded; null when the shell printed none. */
export function extractResult(stdout: string): string | null {
    // Not anchored at the start of a line: PowerShell 7 on Linux writes terminal mode sequences
    // (ESC [?1h ESC [?1l) to a redirected stdout before a command's output.
    const answers = [...stdout.matchAll(RESULT_PATTERN)];
    const last = answers.at(-1)?.[1];
    if (last === undefined) return null;
    return Buffer.from(last, "base64").toString("utf8");
}

const RESULT_PATTERN = new RegExp(`${RESULT_MARKER}([A-Za-z0-9+/=]*)`, "g");

/** The last undo record a script announced (see scripts/undo.ts) in a stretch of stdout; null when none. */
export function extractUndo(stdout: string): unknown {
    const last = [...stdout.matchAll(UNDO_PATTERN)].at(-1)?.[1];
    if (last === undefined) return null;
    try {
        return JSON.parse(Buffer.from(last, "base64").toString("utf8"));
    } catch {
        return null;
    }
}

const UNDO_PATTERN = new RegExp(`${UNDO_MARKER}([A-Za-z0-9+/=]*)`, "g");
