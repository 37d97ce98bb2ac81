import type { HyperVHost } from "./host";
import { HOST_CONFIG_HELP, parseHostAddress, type HostAddress, type HostSettings } from "./config";

/**
 * The composition root: turns a host address into a HyperVHost. The only module that knows the
 * adapters; resources receive a HyperVHost and never learn which kind it is. Adapters are loaded
 * on first use, so a lab-only stack never loads node-powershell.
 */
const hosts = new Map<string, HyperVHost>();

/** The host for an address (a resource's override, else hyperv:host), one per address per process. */
export function connectHost(settings: HostSettings, override?: string): HyperVHost {
    const address = resolveAddress(settings, override);
    const key = JSON.stringify(address);
    let host = hosts.get(key);
    if (!host) {
        host = openHost(address, settings);
        hosts.set(key, host);
    }
    return host;
}

function resolveAddress(settings: HostSettings, override?: string): HostAddress {
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

function openHost(address: HostAddress, settings: HostSettings): HyperVHost {
    if (address.kind === "lab") {
        const { openLabHost } = require("./lab") as typeof import("./lab");
        return openLabHost(address.folder);
    }
    const { createPowerShellHost } = require("./powershell") as typeof import("./powershell");
    const timeouts = {
        operationSeconds: settings.timeoutSeconds,
        removalSeconds: settings.mergeTimeoutSeconds,
        connectSeconds: 60,
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
                kind: "ssh", host: address.host, userName, keyFilePath: settings.keyFile, knownHostsFile: settings.knownHostsFile, port: address.port, shell, timeouts, maxSessions,
            });
        }
        case "winrm":
            return createPowerShellHost({
                kind: "winrm", computerName: address.host, userName: settings.user, password: settings.password, shell, timeouts, maxSessions,
            });
    }
}

/** Ends every session (the provider process is exiting). */
export async function disconnectAll(): Promise<void> {
    const all = [...hosts.values()];
    hosts.clear();
    await Promise.allSettled(all.map((h) => h.dispose()));
}
