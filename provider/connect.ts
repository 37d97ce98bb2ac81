import type { HyperVHost } from "./host";
import { DEFAULT_TIMEOUTS, HOST_CONFIG_HELP, parseHostAddress, type HostAddress, type HostSettings } from "./config";

/*
 * Which adapter serves a host address. The only module that knows the adapters; the composition
 * root (./root) calls it. Adapters are loaded on first use, so a lab-only stack never loads
 * the PowerShell adapter.
 */

/** Opens the adapter for an address: a lab folder, or Hyper-V through PowerShell. */
export type HostFactory = (address: HostAddress, settings: HostSettings) => HyperVHost;

/** The address a resource talks to: its own `host` override, else the stack's hyperv:host. */
export function resolveAddress(settings: HostSettings, override?: string): HostAddress {
    if (override !== undefined) {
        const parsed = parseHostAddress(override);
        if (typeof parsed === "string") throw new Error(`invalid host: ${parsed}`);
        return parsed;
    }
    if (!settings.host) {
        throw new Error(`no Hyper-V host is configured for this stack: ${HOST_CONFIG_HELP}`);
    }
    return settings.host;
}

export const openAdapter: HostFactory = (address, settings) => {
    if (address.kind === "lab") {
        const { openLabHost } = require("./lab") as typeof import("./lab");
        return openLabHost(address.folder);
    }
    const { createPowerShellHost } = require("./powershell") as typeof import("./powershell");
    const timeouts = {
        operationSeconds: settings.timeoutSeconds,
        removalSeconds: settings.mergeTimeoutSeconds,
        connectSeconds: DEFAULT_TIMEOUTS.connectSeconds,
    };
    const shell = settings.shell;
    const maxSessions = settings.maxSessions;
    switch (address.kind) {
        case "local":
            return createPowerShellHost({ kind: "local", shell, timeouts, maxSessions });
        case "ssh": {
            const userName = address.user ?? settings.user;
            if (!userName) throw new Error("an ssh:// host needs a user: use ssh://user@host or set hyperv:user");
            return createPowerShellHost({
                kind: "ssh",
                host: address.host,
                userName,
                keyFilePath: settings.keyFile,
                knownHostsFile: settings.knownHostsFile,
                port: address.port,
                shell,
                timeouts,
                maxSessions,
                ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
            });
        }
        case "winrm":
            return createPowerShellHost({
                kind: "winrm",
                computerName: address.host,
                userName: settings.user,
                password: settings.password,
                shell,
                timeouts,
                maxSessions,
                ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
            });
    }
};
