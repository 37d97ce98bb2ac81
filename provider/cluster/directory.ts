import { isHostError } from "../host/errors";
import type { HyperVHost } from "../host/port";

/** Where a VM is, as the cluster tells it: its owner node, whether that node is up, a migration under way. */
export interface Whereabouts {
    owner: string;
    ownerUp: boolean;
    migration: { from: string; to: string } | null;
}

/**
 * Who owns a VM. A cluster answers from its own records (Get-ClusterGroup: owner node and state;
 * the lab's journal): one question, not one per node. Without them, `probingDirectory` asks every
 * node for the VM side by side.
 */
export interface ClusterDirectory {
    /** Undefined when no node knows the VM. */
    locate(vmId: string): Promise<Whereabouts | undefined>;
    /**
     * The VMs of this name (names repeat) and their owners, when the cluster's records can say
     * (Get-ClusterGroup lists roles by VM name); without it, every node is asked (Get-VM -Name).
     */
    locateByName?(name: string): Promise<{ vmId: string; owner: string }[]>;
}

/**
 * A node that tells, in one round trip, whether it holds a VM (VmNotFound when not) and whether
 * the cluster is migrating it away, and where to (null when the cluster did not say). Hyper-V lists
 * a VM mid-migration on its source until it lands, so a plain Get-VM cannot see it leave; a
 * PowerShell node asks the cluster (scripts/locate-vm.ts).
 */
export interface NodeLocator {
    locateVm(vmId: string): Promise<{ migration: { to: string | null } | null }>;
}

/** Whether a node's host can say that a VM is being migrated away (a PowerShell node can). */
export function isNodeLocator(host: object): host is NodeLocator {
    return typeof (host as Partial<NodeLocator>).locateVm === "function";
}

/**
 * Every node asked side by side, one round trip each: the owner is the node that holds the VM.
 * A node that can (`locators`) says too whether the VM is leaving it, so an operation waits for the
 * migration instead of failing on it; the others are asked Get-VM -Id. A node that does not answer
 * is listed as down only when no other node has the VM (it may be the owner).
 */
export function probingDirectory(nodes: ReadonlyMap<string, HyperVHost>, locators: ReadonlyMap<string, NodeLocator> = new Map()): ClusterDirectory {
    const ask = async (name: string, host: HyperVHost, vmId: string): Promise<Whereabouts["migration"]> => {
        const locator = locators.get(name);
        if (!locator) {
            await host.getVm({ id: vmId });
            return null;
        }
        const { migration } = await locator.locateVm(vmId);
        return migration ? { from: name, to: migration.to ?? "a node the cluster did not name" } : null;
    };
    return {
        async locate(vmId) {
            const answers = await Promise.all(
                [...nodes].map(async ([name, host]) => {
                    try {
                        return { name, found: true, up: true, migration: await ask(name, host, vmId) };
                    } catch (e) {
                        if (isHostError(e, "VmNotFound")) return { name, found: false, up: true, migration: null };
                        if (isHostError(e, "HostUnreachable") || isHostError(e, "HostTimeout")) return { name, found: false, up: false, migration: null };
                        throw e;
                    }
                }),
            );
            const owner = answers.find((a) => a.found);
            if (owner) return { owner: owner.name, ownerUp: true, migration: owner.migration };
            const down = answers.find((a) => !a.up);
            return down ? { owner: down.name, ownerUp: false, migration: null } : undefined;
        },
    };
}
