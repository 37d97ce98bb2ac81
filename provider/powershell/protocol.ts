import { encodeParameter } from "./scripts/render";
import { restoreTextFunction } from "./scripts/text-mark";
import { UNDO_MARKER } from "./scripts/undo";
import { ENDPOINT_FUNCTION, LEFT_BEHIND_FUNCTION, MODULE_FUNCTIONS, MODULE_NAME, moduleText } from "./module/module";
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
 * of ASCII: an operation is a call of the HypervCheckpoints module's function (module/module.ts)
 * with its one base64 JSON payload as a literal, in every endpoint mode; the answer comes back
 * base64-encoded after a marker, so warnings or other text on stdout cannot be mistaken for it and
 * Japanese names survive any console code page. An uploaded endpoint (the default) is sent the
 * module's text once per shell (and once per remote session opened); an installed one has it.
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

/** A call of the host-side module's function: one command with one literal argument, which NoLanguage allows. */
export function functionCallText(call: FunctionCall | { function: string }): string {
    return "payload" in call ? `${call.function} -Payload '${call.payload}'` : call.function;
}

const functionCallBlock = (call: FunctionCall | { function: string }) =>
    `([scriptblock]::Create(${decode(Buffer.from(functionCallText(call), "utf8").toString("base64"))}))`;

/**
 * Runs `block` in the remote session and prints the framed result. First ends the remote processes
 * in `leftBehind` (what cut-off calls left running: see STARTED_MARKER), in the session that will run it,
 * with the module's own function: a remote shell still running a take is what a compensation must
 * not race.
 */
function frameRemote(block: string, leftBehind: readonly RemoteProcess[]): string {
    const end =
        leftBehind.length === 0
            ? ""
            : `$null = Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ${functionCallBlock({ function: LEFT_BEHIND_FUNCTION, payload: Buffer.from(JSON.stringify(leftBehind), "utf8").toString("base64") })} -ErrorAction Stop; `;
    // -ErrorAction Stop: a connection lost mid-way is otherwise a non-terminating error and an empty result.
    const run = `Invoke-Command -Session (Get-HvcpRemoteSession) -ScriptBlock ${block} -ErrorAction Stop`;
    return `try { ${end}$HvcpAll = @(${run}); if ($HvcpAll.Count -eq 0) { ${noAnswer} } else { $HvcpOut = $HvcpAll -join [char]10 } } catch { ${remoteFrameCatch} }; ${writeResult}`;
}

/**
 * One operation, in every mode: the module's function by name with its payload, here (local) or in
 * the remote session. The function announces its start itself. Locally the call is the command
 * line itself: the payload's alphabet cannot end its quotes.
 */
export function frameCall(call: FunctionCall, remote: boolean, leftBehind: readonly RemoteProcess[] = []): string {
    if (!remote) return `try { $HvcpOut = @(${functionCallText(call)}) -join [char]10 } catch { ${frameCatch} }; ${writeResult}`;
    return frameRemote(functionCallBlock(call), leftBehind);
}

/**
 * A script that is no operation of the module (the real-host acceptance suite's throw-away VM),
 * on an uploaded endpoint only: run inside the module, where the helpers it calls are.
 */
export function frameScript(script: string, remote: boolean, leftBehind: readonly RemoteProcess[] = []): string {
    const inModule = `& (Get-Module -Name ${MODULE_NAME}) {\n${script}\n}`;
    const text = remote ? `${announceStart}\n${inModule}` : inModule;
    const block = `([scriptblock]::Create(${decode(Buffer.from(text, "utf8").toString("base64"))}))`;
    if (!remote) return `try { $HvcpOut = @(& ${block}) -join [char]10 } catch { ${frameCatch} }; ${writeResult}`;
    return frameRemote(block, leftBehind);
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
 * Keeps the module's text in the shell's memory ($global:HvcpModuleText), so loading it again (a
 * remote session reopened, a shell that lost it) sends no more than a reference to it.
 */
const keepModule = `$global:HvcpModuleText = ${decode(Buffer.from(moduleText, "utf8").toString("base64"))}`;

/**
 * Loads the module from the text the shell keeps: the exact text an installed endpoint has (one
 * source), as a module, so its helpers stay its own and only its functions are the session's.
 * -Global: imported where every later command line finds the functions.
 */
// The script block goes through a variable: given inline as New-Module's argument, a remote session
// over SSH (PowerShell 7.6) binds the text itself to -ScriptBlock and fails to convert it.
const loadModuleScript = `param([string]$Text) $module = [scriptblock]::Create($Text); New-Module -Name ${MODULE_NAME} -ScriptBlock $module | Import-Module -Global -Force`;

const loadModuleHere = `$null = & { ${loadModuleScript} } $global:HvcpModuleText`;

/**
 * Loads the module in a remote session: Invoke-Command -Session runs in the session's global
 * state, which keeps the module's functions from one command to the next.
 */
const loadModuleIn = (session: string) =>
    `$null = Invoke-Command -Session ${session} -ScriptBlock { ${loadModuleScript} } -ArgumentList $global:HvcpModuleText -ErrorAction Stop`;

/**
 * Sent once when the shell starts. It leaves the watchdog that ends the shell if the provider dies
 * (watchdog.ts; not when `providerPid` is null: a shared process starts one for all its sessions),
 * and on an uploaded endpoint keeps the module's text and loads the module where the functions run
 * (here, or in every remote session it opens). For remote targets it keeps the New-PSSession
 * parameters and the credential in the shell's memory (they arrive as base64 JSON, never on a
 * command line) and opens the remote session; Get-HvcpRemoteSession reopens it if it broke, and
 * loads the module in the new session.
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
    if (!connect) return `${common}; try { ${keepModule}; ${loadModuleHere}; ${report(`& ${probe}`)} } catch { ${frameCatch} }; ${writeResult}`;
    const keep = [
        // An installed endpoint has the module: its text is never sent.
        ...(endpoint === "installed" ? [] : [keepModule]),
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
        `function global:Get-HvcpRemoteSession { if ($null -eq $global:HvcpRemote -or $global:HvcpRemote.State.ToString() -ne 'Opened') { if ($null -ne $global:HvcpRemote) { Remove-PSSession -Session $global:HvcpRemote -ErrorAction SilentlyContinue }; $global:HvcpRemote = New-PSSession @global:HvcpParameters; ${endpoint === "installed" ? "" : `${refuseRestricted("$global:HvcpRemote")}; ${loadModuleIn("$global:HvcpRemote")} `}}; $global:HvcpRemote }`,
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
 * Loads the module again where the functions run, from the text the shell keeps: sent when a call
 * found its function missing on an uploaded endpoint (see moduleMissing).
 */
export function frameModuleLoad(remote: boolean): string {
    const done = `$HvcpOut = '{"ok":true}'`;
    if (!remote) return `try { ${loadModuleHere}; ${done} } catch { ${frameCatch} }; ${writeResult}`;
    return `try { ${loadModuleIn("(Get-HvcpRemoteSession)")}; ${done} } catch { ${remoteFrameCatch} }; ${writeResult}`;
}

/**
 * The answer of a call that found the module's function, or a helper of it, missing: the module
 * was lost (removed, a fresh runspace). Every name of the module holds "Hvcp"; a missing Hyper-V
 * cmdlet is the host's own answer, not this.
 */
export function moduleMissing(answer: string): boolean {
    try {
        const error = (JSON.parse(answer) as { error?: { fullyQualifiedErrorId?: unknown; message?: unknown } }).error;
        return String(error?.fullyQualifiedErrorId ?? "").startsWith("CommandNotFoundException") && /'[\w-]*Hvcp[\w-]*'/.test(String(error?.message ?? ""));
    } catch {
        return false;
    }
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
