import { createHash } from "node:crypto";
import { z } from "zod";
import { DEFAULT_MAX_SESSIONS, DEFAULT_TIMEOUTS, MAX_SESSIONS_LIMIT } from "../config";

/**
 * Which PowerShell runs the Hyper-V cmdlets: "pwsh" (PowerShell 7), "powershell" (Windows
 * PowerShell 5.1, powershell.exe) or a path to either. Absent: detected from PATH (pwsh first).
 */
const shellSchema = z.string().min(1).optional();

/** Defaults: DEFAULT_TIMEOUTS in config.ts, where every default of the host settings is. */
const timeoutsSchema = z
    .object({
        operationSeconds: z.number().positive().default(DEFAULT_TIMEOUTS.operationSeconds),
        removalSeconds: z.number().positive().default(DEFAULT_TIMEOUTS.removalSeconds),
        connectSeconds: z.number().positive().default(DEFAULT_TIMEOUTS.connectSeconds),
    })
    .default({ ...DEFAULT_TIMEOUTS });

/** How many shells run calls on the host side by side (see shell-pool.ts); bounds and default in config.ts. */
const maxSessionsSchema = z.number().int().min(1).max(MAX_SESSIONS_LIMIT).default(DEFAULT_MAX_SESSIONS);

/**
 * What the remote endpoint runs: "uploaded" (default), a full-language session to which the shell
 * sends the HypervCheckpoints module's text once per session; "installed", a restricted endpoint
 * (README "Least privilege") that offers the module's functions and nothing else, never sent
 * script text. Both are called the same way: a function by name, with one literal payload.
 */
/** The name the JEA session configuration is registered under on the host (README "Least privilege"). */
export const JEA_ENDPOINT_NAME = "hyperv-checkpoints";

export const endpointModeSchema = z.enum(["uploaded", "installed"]).default("uploaded");

/** The Hyper-V host is the machine the shell runs on. */
const localTargetSchema = z.object({
    kind: z.literal("local"),
    shell: shellSchema,
    timeouts: timeoutsSchema,
    maxSessions: maxSessionsSchema,
});

/**
 * PowerShell remoting over SSH (works from Linux and macOS; WinRM does not): the local shell opens
 * `New-PSSession -HostName -UserName -KeyFilePath` once and runs every operation with
 * `Invoke-Command -Session`.
 */
const sshTargetSchema = z.object({
    kind: z.literal("ssh"),
    host: z.string().min(1),
    userName: z.string().min(1),
    /** Private key; the Windows host needs the matching public key and a `powershell` SSH subsystem. */
    keyFilePath: z.string().min(1).optional(),
    /** The known_hosts file that holds the host's key; default: ssh's own (~/.ssh/known_hosts). */
    knownHostsFile: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    shell: shellSchema,
    timeouts: timeoutsSchema,
    maxSessions: maxSessionsSchema,
    endpoint: endpointModeSchema,
});

/**
 * WinRM remoting (`New-PSSession -ComputerName -Credential`), from Windows only: PowerShell on
 * Linux and macOS does not support WinRM. The password reaches the shell through its stdin,
 * base64-encoded inside one JSON parameter; it never appears on a command line or in a log.
 */
const winrmTargetSchema = z.object({
    kind: z.literal("winrm"),
    computerName: z.string().min(1),
    userName: z.string().min(1).optional(),
    password: z.string().optional(),
    useSsl: z.boolean().default(false),
    port: z.number().int().min(1).max(65535).optional(),
    authentication: z.enum(["Default", "Negotiate", "Kerberos", "Basic", "CredSSP"]).optional(),
    shell: shellSchema,
    timeouts: timeoutsSchema,
    maxSessions: maxSessionsSchema,
    endpoint: endpointModeSchema,
});

export const powerShellTargetSchema = z.discriminatedUnion("kind", [localTargetSchema, sshTargetSchema, winrmTargetSchema]).superRefine((target, ctx) => {
    // Otherwise the shell fails inside ConvertTo-SecureString, far from the setting at fault.
    if (target.kind === "winrm" && target.userName !== undefined && !target.password) {
        ctx.addIssue({ code: "custom", path: ["password"], message: "a WinRM user needs a password" });
    }
});

/** Settings as the user writes them (defaults optional). */
export type PowerShellTargetInput = z.input<typeof powerShellTargetSchema>;
/** Settings after validation (defaults filled in). */
export type PowerShellTarget = z.output<typeof powerShellTargetSchema>;
export type Timeouts = PowerShellTarget["timeouts"];

/** How the target is named in messages; never includes secrets. */
export function describeTarget(target: PowerShellTarget): string {
    switch (target.kind) {
        case "local":
            return "localhost";
        case "ssh":
            return `${target.userName}@${target.host}${target.port ? `:${target.port}` : ""} (ssh)`;
        case "winrm":
            return `${target.computerName}${target.port ? `:${target.port}` : ""} (winrm)`;
    }
}

/** One session (pool of shells) per target per process: targets with the same key share it. */
export function targetKey(target: PowerShellTarget): string {
    const { timeouts: _timeouts, maxSessions: _maxSessions, ...identity } = target;
    // A changed password needs a new session, but keys end up in maps that debuggers print: keep
    // only a digest of it.
    const printable =
        identity.kind === "winrm" && identity.password !== undefined
            ? { ...identity, password: createHash("sha256").update(identity.password).digest("hex").slice(0, 16) }
            : identity;
    return JSON.stringify(printable, Object.keys(printable).sort());
}

/**
 * What the session sends, once, to open a remote session: the parameters of New-PSSession. The
 * password travels with them (inside base64 JSON, over stdin) and is turned into a PSCredential
 * in the shell.
 */
export function remoteConnectParameters(target: PowerShellTarget): Record<string, unknown> | null {
    switch (target.kind) {
        case "local":
            return null;
        case "ssh":
            return {
                kind: "ssh",
                HostName: target.host,
                UserName: target.userName,
                ...(target.keyFilePath ? { KeyFilePath: target.keyFilePath } : {}),
                ...(target.port ? { Port: target.port } : {}),
                // A provider must never wait for an answer nobody can give: ssh fails instead of
                // asking about an unknown host key or a key passphrase.
                Options: { BatchMode: "yes", ...(target.knownHostsFile ? { UserKnownHostsFile: target.knownHostsFile } : {}) },
            };
        case "winrm":
            return {
                kind: "winrm",
                ComputerName: target.computerName,
                ...(target.useSsl ? { UseSSL: true } : {}),
                ...(target.port ? { Port: target.port } : {}),
                ...(target.authentication ? { Authentication: target.authentication } : {}),
                ...(target.endpoint === "installed" ? { ConfigurationName: JEA_ENDPOINT_NAME } : {}),
                ...(target.userName ? { UserName: target.userName, Password: target.password ?? "" } : {}),
            };
    }
}

export type EndpointMode = z.output<typeof endpointModeSchema>;

/** The target's endpoint mode; a local shell always loads the module itself. */
export function endpointMode(target: PowerShellTarget): EndpointMode {
    return target.kind === "local" ? "uploaded" : target.endpoint;
}
