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
 * Get-VM -Id on every node side by side: the owner is the node that answers. A node that does not
 * answer is listed as down only when no other node has the VM (it may be the owner).
 */
export function probingDirectory(nodes: ReadonlyMap<string, HyperVHost>): ClusterDirectory {
    return {
        async locate(vmId) {
            const answers = await Promise.all(
                [...nodes].map(async ([name, host]) => {
                    try {
                        await host.getVm({ id: vmId });
                        return { name, found: true, up: true };
                    } catch (e) {
                        if (isHostError(e, "VmNotFound")) return { name, found: false, up: true };
                        if (isHostError(e, "HostUnreachable") || isHostError(e, "HostTimeout")) return { name, found: false, up: false };
                        throw e;
                    }
                }),
            );
            const owner = answers.find((a) => a.found);
            if (owner) return { owner: owner.name, ownerUp: true, migration: null };
            const down = answers.find((a) => !a.up);
            return down ? { owner: down.name, ownerUp: false, migration: null } : undefined;
        },
    };
}
