import { z } from "zod";

/*
 * The values an administrator gives `hyperv-checkpoints endpoint`, checked before any file is made:
 * each one is written into sshd_config or a .pssc, where a new line starts another directive and
 * sshd reads `* ? ! ,` in a `Match User` as patterns (sshd_config(5), PATTERNS in ssh_config(5)).
 */

/**
 * A Windows or POSIX account: `name`, or `DOMAIN\name` for a domain account. Win32-OpenSSH matches
 * domain accounts in their NameSamCompatible form, `domain\name` with the domain's short (NetBIOS)
 * name, and compares in lower case (Win32-OpenSSH wiki, "sshd_config"): the snippet writes it so.
 * Characters beyond letters, digits and `. _ -` are refused, not escaped: none is needed by a real
 * account's name, and each of them means something to sshd or PowerShell.
 */
const ACCOUNT = /^(?:[A-Za-z0-9][A-Za-z0-9-]{0,14}\\)?[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$/;

/** A path on the host as sshd_config and a .pssc take it unquoted: no spaces, quotes or new lines. */
const HOST_PATH = /^[A-Za-z0-9_.:/\\~+-]+$/;

/** sshd `Match` criteria: keyword-value pairs on one line, no comment. */
const MATCH = /^[A-Za-z]+ [!-"$-~]+(?: [A-Za-z]+ [!-"$-~]+)*$/;

export const endpointOptionsSchema = z.object({
    /** Who may connect: the provider's account (DOMAIN\name or name). */
    account: z
        .string()
        .regex(
            ACCOUNT,
            "is not an account name: give name or DOMAIN\\name (letters, digits, '.', '_', '-'; a name of at most 32, a domain's short name of at most 15), e.g. --account 'CORP\\svc-pulumi'",
        ),
    /** PowerShell 7 on the host, as sshd starts it (sshd_config needs a path without spaces). */
    pwsh: z
        .string()
        .regex(
            HOST_PATH,
            "is not a path sshd_config can start: no spaces, quotes or new lines; use the short form, e.g. --pwsh C:/progra~1/powershell/7/pwsh.exe",
        ),
    /** The folder on the host that holds the session configuration files. */
    configDir: z
        .string()
        .regex(HOST_PATH, "is not a folder sshd_config can name: no spaces, quotes or new lines, e.g. --config-dir C:/ProgramData/hyperv-checkpoints"),
    /** The sshd_config `Match` criteria that select the account; default `User <account>`. */
    match: z.string().regex(MATCH, "is not one line of sshd Match criteria (keyword value ...), e.g. 'LocalPort 2222'").optional(),
});

export type EndpointOptions = z.infer<typeof endpointOptionsSchema>;

/** How the administrator gave each value: the CLI's options. */
const OPTION_NAMES: Record<string, string> = { account: "--account", pwsh: "--pwsh", configDir: "--config-dir", match: "match" };

/** A value that cannot go into the endpoint's files; nothing was written. */
export class EndpointOptionError extends Error {
    constructor(
        readonly option: string,
        message: string,
    ) {
        super(message);
        this.name = "EndpointOptionError";
    }
}

/** The options, checked; throws EndpointOptionError naming the first bad option, its value, and the fix. */
export function checkEndpointOptions(options: EndpointOptions): EndpointOptions {
    const parsed = endpointOptionsSchema.safeParse(options);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "");
    const option = OPTION_NAMES[field] ?? field;
    const value = (options as Record<string, unknown>)[field];
    throw new EndpointOptionError(option, `${option} ${JSON.stringify(value)} ${issue.message}; no file was written`);
}
