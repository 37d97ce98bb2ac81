import * as path from "node:path";
import type { ClusterDirectory } from "../cluster/directory";
import { sameIgnoringCase } from "../host/text";
import { readLab } from "./store";

/** The cluster lab's own records answer who owns a VM, as Get-ClusterGroup does on a real cluster: one read. */
export function labClusterDirectory(labFolder: string): ClusterDirectory {
    const folder = path.resolve(labFolder);
    return {
        async locate(vmId) {
            const doc = readLab(folder);
            const vm = doc.vms.find((v) => v.id === vmId.toLowerCase());
            if (!vm || vm.ownerNode === null) return undefined;
            const owner = vm.ownerNode;
            const ownerUp = doc.host.cluster?.nodes.find((n) => n.name === owner)?.state !== "Down";
            return { owner, ownerUp, migration: vm.migration ? { from: vm.migration.from, to: vm.migration.to } : null };
        },
        async locateByName(name) {
            return readLab(folder)
                .vms.filter((v) => v.ownerNode !== null && sameIgnoringCase(v.name, name))
                .map((v) => ({ vmId: v.id, owner: v.ownerNode ?? "" }));
        },
    };
}

/** The node names of the lab in `folder` when it is a cluster, else undefined. */
export function labClusterNodes(labFolder: string): { name: string; nodes: string[] } | undefined {
    const cluster = readLab(labFolder).host.cluster;
    return cluster ? { name: cluster.name, nodes: cluster.nodes.map((n) => n.name) } : undefined;
}
