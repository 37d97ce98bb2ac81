import { HostError } from "../host/errors";
import { errorFromRecord, errorRecordSchema, HyperVErrorRecord } from "./error-records";
import { excerpt } from "./errors";
import { extractResult, frameSessionStart, RESTRICTED_ENDPOINT_ERROR } from "./protocol";
import { safeJson, sshSaid } from "./remote-failure";
import { runCommand, ShellCrashed, ShellTimedOut } from "./shell-command";
import { shellProbeSchema, shellRefusal } from "./shell-compatibility";
import { resolveShellExecutable } from "./shell-executable";
import type { CommandShell, OpenShell } from "./command-shell";
import { ShellProcess } from "./shell-process";
import { endpointRefusal, installedEndpointSchema } from "./endpoint/check";
import { endpointMode, remoteConnectParameters, type PowerShellTarget } from "./target";
import type { InvocationOptions } from "./transport";

const RESTRICTED_HINT =
    'it is an endpoint restricted to the HypervCheckpoints module (README "Least privilege"): `pulumi config set hyperv:endpoint installed`';

/**
 * Starts one shell for `target` (a process of its own, or a session in the target's shared process:
 * `open`) and runs the session start (protocol.ts): the shell's watchdog, the module (uploaded
 * endpoints), for remote targets the remote session, and the probe of the PowerShell that will run
 * the operations. Returns the shell ready for operations; any refusal stops it.
 */
export async function startShell(
    target: PowerShellTarget,
    displayName: string,
    env: NodeJS.ProcessEnv,
    options: InvocationOptions,
    open: OpenShell = async (executable) => new ShellProcess(executable, env),
): Promise<CommandShell> {
    const executable = resolveShellExecutable(target);
    const context = { ...options.subject, host: displayName, operation: `connect for ${options.operation}` };
    const shell = await open(executable);
    let stdout: string;
    try {
        stdout = await runCommand(
            shell,
            frameSessionStart(remoteConnectParameters(target), shell.watched ? null : process.pid, endpointMode(target)),
            target.timeouts.connectSeconds * 1000,
        );
    } catch (e) {
        if (e instanceof ShellTimedOut) {
            throw new HostError("HostTimeout", `connecting did not finish within ${target.timeouts.connectSeconds} s; the shell was stopped`, context);
        }
        if (!(e instanceof ShellCrashed)) throw e;
        const why = shell.spawnError
            ? `${executable} could not be started (${shell.spawnError}); install PowerShell, or name the one to start with \`pulumi config set hyperv:shell pwsh\` (or powershell)`
            : `${executable} exited at start (${e.message})`;
        throw new HostError("HostUnreachable", why, { ...options.subject, host: displayName, operation: options.operation });
    }
    const answer = extractResult(stdout);
    const parsed = answer === null ? null : safeJson(answer);
    const record = errorRecordSchema.safeParse((parsed as { error?: unknown } | null)?.error);
    if (record.success) {
        shell.stop();
        const said = sshSaid(shell);
        if (/Host key verification failed/i.test(said)) {
            throw new HostError("HostUnreachable", `${record.data.message}${said}`, context, {
                cause: new HyperVErrorRecord(record.data),
                hint: "the host's SSH key is not known here: add it to ~/.ssh/known_hosts (ssh-keyscan -p <port> <host>, checked against the host), or point hyperv:knownHostsFile at a file that has it",
            });
        }
        if (record.data.fullyQualifiedErrorId === RESTRICTED_ENDPOINT_ERROR) {
            throw new HostError("UnsupportedShell", `the endpoint is restricted: it runs no script text${said}`, context, { hint: RESTRICTED_HINT });
        }
        throw errorFromRecord({ ...record.data, message: `${record.data.message}${said}` }, context);
    }
    const ok = (parsed as { ok?: unknown } | null)?.ok;
    if (endpointMode(target) === "installed") {
        const endpoint = installedEndpointSchema.safeParse(ok);
        if (!endpoint.success) {
            shell.stop();
            throw new HostError(
                "UnexpectedOutput",
                `the endpoint did not say which of the provider's functions it has. Output: ${excerpt(stdout) || "(none)"}`,
                context,
            );
        }
        const refusal = endpointRefusal(endpoint.data);
        if (refusal) {
            shell.stop();
            throw new HostError("UnsupportedShell", refusal.detail, context, { hint: refusal.hint });
        }
    }
    const probe = shellProbeSchema.safeParse(ok);
    if (!probe.success) {
        shell.stop();
        throw new HostError("UnexpectedOutput", `${executable} did not answer the session start as PowerShell would. Output: ${excerpt(stdout) || "(none)"}`, {
            ...options.subject,
            host: displayName,
            operation: options.operation,
        });
    }
    const refusal = shellRefusal(probe.data, target);
    if (refusal) {
        shell.stop();
        throw new HostError("UnsupportedShell", refusal.detail, { host: displayName, operation: `connect for ${options.operation}` }, { hint: refusal.hint });
    }
    return shell;
}
