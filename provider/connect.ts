import { HostError, isHostError, orderedByVm, type HyperVHost } from "./host";
import { sameIgnoringCase } from "./host/text";
import { ClusterHost } from "./cluster/cluster-host";
import { DiscoveredCluster } from "./cluster/discovered-cluster";
import { isNodeLocator, probingDirectory, type ClusterDirectory, type NodeLocator } from "./cluster/directory";
import { DEFAULT_TIMEOUTS, HOST_CONFIG_HELP, parseHostAddress, type HostAddress, type HostSettings } from "./config";

/*
 * Which adapter serves a host address. The only module that knows the adapters; the composition
 * root (./root) calls it. Adapters are loaded on first use, so a lab-only stack never loads
 * the PowerShell adapter.
 */

/** A node of a cluster: reached through PowerShell remoting. */
export type RemoteAddress = Exclude<HostAddress, { kind: "lab" | "local" }>;

/** A cluster's nodes, each reached directly (hyperv:nodes). */
export interface NodesAddress {
    kind: "nodes";
    nodes: RemoteAddress[];
}

/** What a stack talks to: one host (a cluster lab is one folder), or a cluster's nodes. */
export type TargetAddress = HostAddress | NodesAddress;

/** Opens the adapter for an address: a lab folder, or Hyper-V through PowerShell. */
export type HostFactory = (address: TargetAddress, settings: HostSettings) => HyperVHost;

/** The address a resource talks to: its own `host` override, else the stack's hyperv:host or hyperv:nodes. */
export function resolveAddress(settings: HostSettings, override?: string): TargetAddress {
    if (override !== undefined) {
        const parsed = parseHostAddress(override);
        if (typeof parsed === "string") throw new Error(`invalid host: ${parsed}`);
        return parsed;
    }
    if (settings.nodes) return { kind: "nodes", nodes: settings.nodes };
    if (!settings.host) {
        throw new Error(`no Hyper-V host is configured for this stack: ${HOST_CONFIG_HELP}`);
    }
    return settings.host;
}

/**
 * A cluster: one host per node, each with its own per-VM ordering and hyperv:maxSessions, behind a
 * host that routes every operation to the VM's owner (cluster/cluster-host.ts).
 */
export function openCluster(name: string, nodes: [string, HyperVHost][], directory: ClusterDirectory | undefined, settings: HostSettings): ClusterHost {
    const ordered = new Map(nodes.map(([node, host]) => [node, orderedByVm(host, { maxConcurrent: settings.maxSessions })]));
    // Nodes that can say a VM is leaving them (PowerShell nodes) are asked that, so a VM mid-migration is waited for.
    const locators = new Map(nodes.flatMap(([node, host]): [string, NodeLocator][] => (isNodeLocator(host) ? [[node, host]] : [])));
    return new ClusterHost({
        name,
        nodes: ordered,
        directory: directory ?? probingDirectory(ordered, locators),
        migrationWaitSeconds: settings.migrationWaitSeconds,
    });
}

/**
 * A node's name in messages and routing: its host, and its port when the address gives one (nodes
 * reached through port forwards share a host name and differ by port).
 */
function nodeName(node: RemoteAddress): string {
    return node.kind === "ssh" && node.port !== undefined ? `${node.host}:${node.port}` : node.host;
}

/**
 * hyperv:discoverNodes: the first listed node that answers names the cluster's nodes (Get-Cluster,
 * Get-ClusterNode, read with its capabilities), and each is reached directly as that node is (same
 * scheme, user, port and credentials), by the name the cluster gives it. The listed nodes keep
 * their own addresses.
 */
async function discoverCluster(seeds: RemoteAddress[], settings: HostSettings): Promise<ClusterHost> {
    const { PowerShellHost } = require("./powershell") as typeof import("./powershell");
    let last: unknown;
    for (const seed of seeds) {
        const host = openAdapter(seed, settings);
        if (!(host instanceof PowerShellHost)) throw new Error("hyperv:discoverNodes asks a node through PowerShell: list ssh:// or winrm:// nodes");
        let capabilities: Awaited<ReturnType<typeof host.capabilities>>;
        try {
            capabilities = await host.capabilities();
        } catch (e) {
            await host.dispose();
            if (!isHostError(e, "HostUnreachable") && !isHostError(e, "HostTimeout")) throw e;
            last = e;
            continue;
        }
        const cluster = capabilities.failoverCluster;
        if (!cluster) {
            await host.dispose();
            throw new HostError(
                "HostFailure",
                "the node is in no failover cluster: FailoverClusters\\Get-ClusterNode is not there or did not answer",
                { host: host.displayName, operation: "discover cluster nodes" },
                { hint: "list every node in hyperv:nodes and remove hyperv:discoverNodes (`pulumi config rm hyperv:discoverNodes`)" },
            );
        }
        // A listed node may be named by its FQDN (hv01.contoso.com) where the cluster says hv01.
        const isNamed = (address: RemoteAddress, name: string) =>
            sameIgnoringCase(address.host, name) || address.host.toLowerCase().startsWith(`${name.toLowerCase()}.`);
        const nodes = cluster.nodes.map((n): [string, HyperVHost] => {
            if (isNamed(seed, n.name)) return [n.name, host];
            return [n.name, openAdapter(seeds.find((s) => isNamed(s, n.name)) ?? { ...seed, host: n.name }, settings)];
        });
        if (!cluster.nodes.some((n) => isNamed(seed, n.name))) await host.dispose();
        return openCluster(cluster.name, nodes, undefined, settings);
    }
    throw last;
}

export const openAdapter: HostFactory = (address, settings) => {
    if (address.kind === "lab") {
        const lab = require("./lab") as typeof import("./lab");
        const { labClusterDirectory, labClusterNodes } = require("./lab/cluster-directory") as typeof import("./lab/cluster-directory");
        const cluster = labClusterNodes(address.folder);
        if (!cluster) return lab.openLabHost(address.folder);
        const nodes = cluster.nodes.map((n): [string, HyperVHost] => [n, lab.openLabNode(address.folder, n)]);
        return openCluster(cluster.name, nodes, labClusterDirectory(address.folder), settings);
    }
    if (address.kind === "nodes") {
        if (settings.discoverNodes) return new DiscoveredCluster(address.nodes.map(nodeName), () => discoverCluster(address.nodes, settings));
        const nodes = address.nodes.map((node): [string, HyperVHost] => [nodeName(node), openAdapter(node, settings)]);
        return openCluster(address.nodes.map(nodeName).join(","), nodes, undefined, settings);
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
