import { PowerShellHost } from "./host";
import { leaseSession } from "./sessions";
import { powerShellTargetSchema, type PowerShellTarget, type PowerShellTargetInput } from "./target";
import type { Transport } from "./transport";

export interface PowerShellHostOptions {
    /** Replaces the shared PowerShell session (tests use recording transports). */
    transport?: Transport;
    /** Environment of the shell process (defaults to this process's). */
    env?: NodeJS.ProcessEnv;
}

/**
 * A HyperVHost that runs Hyper-V cmdlets through PowerShell on the target: locally, over SSH
 * remoting, or over WinRM. Hosts for the same target share one pool of
 * shells per process (at most maxSessions side by side).
 */
export function createPowerShellHost(target: PowerShellTargetInput, options: PowerShellHostOptions = {}): PowerShellHost {
    const settings: PowerShellTarget = powerShellTargetSchema.parse(target);
    const transport = options.transport ?? leaseSession(settings, options.env);
    return new PowerShellHost(transport, settings.timeouts);
}

export { PowerShellHost } from "./host";
export { powerShellTargetSchema, describeTarget, type PowerShellTarget, type PowerShellTargetInput } from "./target";
export type { Transport, InvocationOptions } from "./transport";
export type { PowerShellCapabilities } from "./parse";
