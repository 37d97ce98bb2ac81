import { HostError, type ErrorContext } from "../host/errors";
import { transitionalStates } from "../host/model";
import { sameIgnoringCase } from "../host/text";
import type { LabCluster, LabDocument, LabNode, LabVm } from "./document";
import { fail, type FailureScope } from "./refusals";

/*
 * The lab as a failover cluster: one folder, one journal, every VM owned by one node. The rules
 * of ownership, migration and failover live here and nowhere else in the lab; sources and
 * assumptions for each are in README.md ("Clusters").
 */

/** Where Cluster Shared Volumes are mounted on every node (Microsoft Learn, "Use Cluster Shared Volumes"). */
export const CLUSTER_STORAGE_ROOT = "C:\\ClusterStorage";
/** The volume `init --cluster` makes, and where clustered VMs keep their files unless told otherwise. */
export const DEFAULT_CLUSTER_VOLUME = `${CLUSTER_STORAGE_ROOT}\\Volume1`;

/**
 * Storage every node sees: a Cluster Shared Volume (C:\ClusterStorage\<volume>\...) or an SMB
 * share (\\server\share\...). Anything else is a disk of one node, lost to the others when it fails.
 */
export function isSharedStorage(windowsPath: string): boolean {
    return /^c:\\clusterstorage\\[^\\]+/i.test(windowsPath) || /^\\\\[^\\?.]+\\[^\\]+/.test(windowsPath);
}

export function clusterOf(doc: LabDocument, context: ErrorContext): LabCluster {
    const cluster = doc.host.cluster;
    if (!cluster) {
        throw new HostError("HostFailure", "this lab is one stand-alone host, not a cluster", context, {
            hint: "make a cluster lab with `hyperv-lab init --cluster <nodes>`",
        });
    }
    return cluster;
}

export function nodeNamed(doc: LabDocument, name: string, context: ErrorContext): LabNode {
    const cluster = clusterOf(doc, context);
    const node = cluster.nodes.find((n) => sameIgnoringCase(n.name, name));
    if (!node) {
        throw new HostError("HostFailure", `the cluster has no node "${name}"`, context, {
            hint: `its nodes are ${cluster.nodes.map((n) => n.name).join(", ")}`,
        });
    }
    return node;
}

/** The cluster's nodes node1..nodeN, all Up. */
export function newCluster(nodeCount: number): LabCluster {
    return { name: "HV-CLUSTER", nodes: Array.from({ length: nodeCount }, (_, i) => ({ name: `node${i + 1}`, state: "Up" as const })) };
}

/** A node that is Down answers nothing: every call to it fails as an unreachable host does. */
export function refuseIfDown(doc: LabDocument, node: string, context: ErrorContext): void {
    if (nodeNamed(doc, node, context).state === "Down") {
        throw new HostError(
            "HostUnreachable",
            `cluster node ${node} is down`,
            { ...context, host: `${context.host} node ${node}` },
            {
                hint: `its clustered VMs failed over to the other nodes; VMs local to ${node} come back when it does`,
            },
        );
    }
}

/** The VMs a node's Get-VM lists: those it owns. A VM mid-migration is listed by its source. */
export function ownedBy(doc: LabDocument, node: string): LabVm[] {
    return doc.vms.filter((v) => v.ownerNode !== null && sameIgnoringCase(v.ownerNode, node));
}

/**
 * Hyper-V runs no checkpoint or settings operation on a VM being migrated (the VM is locked by
 * the migration); the lab refuses it as a state error, as it refuses any busy VM.
 */
export function refuseIfMigrating(vm: LabVm, scope: FailureScope): void {
    if (vm.migration) throw fail.invalidState(scope, `Migrating from ${vm.migration.from} to ${vm.migration.to}`);
}

/** Starts a live or quick migration: the VM stays on its source, locked, until it completes. */
export function beginMigration(doc: LabDocument, vm: LabVm, to: string, kind: "live" | "quick", scope: FailureScope): void {
    const target = nodeNamed(doc, to, scope.context);
    const from = vm.ownerNode ?? "";
    if (!vm.clustered) {
        throw new HostError("HostFailure", `VM "${vm.name}" is local to ${from}, not a clustered role: the cluster cannot migrate it`, scope.context, {
            hint: "add it as a clustered VM (`hyperv-lab vm add <vm> --node <node> --clustered`)",
        });
    }
    refuseIfMigrating(vm, scope);
    if (transitionalStates.includes(vm.state)) throw fail.invalidState(scope, vm.state);
    if (sameIgnoringCase(target.name, from)) {
        throw new HostError("HostFailure", `VM "${vm.name}" already runs on ${target.name}`, scope.context, { hint: "choose another node" });
    }
    if (target.state === "Down") {
        throw new HostError("HostUnreachable", `cluster node ${target.name} is down: VM "${vm.name}" cannot move there`, scope.context, {
            hint: `start it first (\`hyperv-lab node start ${target.name}\`) or choose another node`,
        });
    }
    vm.migration = { from, to: target.name, kind };
}

/** Completes a migration: the destination owns the VM, in the state it left (a quick migration saves and restores it). */
export function completeMigration(vm: LabVm): void {
    if (!vm.migration) return;
    vm.ownerNode = vm.migration.to;
    vm.migration = null;
}

/** What a node stop did, for the CLI and tests. */
export interface Failover {
    node: string;
    /** Clustered VMs that came up on another node, and the checkpoints they lost (files on the node's own disks). */
    moved: { vm: string; vmId: string; to: string; lostCheckpoints: number }[];
    /** Clustered VMs with no node left to run on, and local VMs: unreachable until the node starts. */
    stranded: { vm: string; vmId: string }[];
}

/** States of a role that is online: the cluster restarts such a VM on its new owner (a cold boot). */
const ONLINE_STATES = new Set(["Running", "Paused", "Starting", "Stopping", "Pausing", "Resuming", "Saving", "FastSaving", "Reset", "Other"]);

/**
 * A node goes down (`node stop`): unplanned failover. Each clustered VM it owned comes up on the
 * Up node owning the fewest VMs; a migration to or from it is abandoned where the VM was. What
 * survives is what the other nodes can read: checkpoints whose files are on shared storage. A
 * VM's running memory is lost: an online VM is started again from its disks.
 */
export function stopNode(doc: LabDocument, name: string, context: ErrorContext): Failover {
    const node = nodeNamed(doc, name, context);
    node.state = "Down";
    const failover: Failover = { node: node.name, moved: [], stranded: [] };
    for (const vm of doc.vms) {
        if (vm.migration && (sameIgnoringCase(vm.migration.to, node.name) || sameIgnoringCase(vm.migration.from, node.name))) vm.migration = null;
        if (vm.ownerNode === null || !sameIgnoringCase(vm.ownerNode, node.name)) continue;
        const target = vm.clustered ? leastLoadedUpNode(doc) : undefined;
        if (!target) {
            failover.stranded.push({ vm: vm.name, vmId: vm.id });
            continue;
        }
        const lost = loseLocalCheckpoints(doc, vm);
        vm.ownerNode = target.name;
        if (ONLINE_STATES.has(vm.state)) vm.state = "Running";
        failover.moved.push({ vm: vm.name, vmId: vm.id, to: target.name, lostCheckpoints: lost });
    }
    return failover;
}

/** A node comes back (`node start`). Failback is off by default on a cluster role: VMs stay where they failed over to. */
export function startNode(doc: LabDocument, name: string, context: ErrorContext): LabNode {
    const node = nodeNamed(doc, name, context);
    node.state = "Up";
    return node;
}

function leastLoadedUpNode(doc: LabDocument): LabNode | undefined {
    const up = clusterOf(doc, { host: "" }).nodes.filter((n) => n.state === "Up");
    return up.sort((a, b) => ownedBy(doc, a.name).length - ownedBy(doc, b.name).length)[0];
}

/** Drops the checkpoints whose .vmcx sat on the failed node's own disks; the rest keep their tree. */
function loseLocalCheckpoints(doc: LabDocument, vm: LabVm): number {
    const lost = new Set(doc.checkpoints.filter((c) => c.vmId === vm.id && !isSharedStorage(c.path)).map((c) => c.id));
    if (lost.size === 0) return 0;
    const parentOf = new Map(doc.checkpoints.filter((c) => c.vmId === vm.id).map((c) => [c.id, c.parentId]));
    const survivingAncestor = (id: string | null): string | null => {
        let at = id;
        while (at !== null && lost.has(at)) at = parentOf.get(at) ?? null;
        return at;
    };
    doc.checkpoints = doc.checkpoints.filter((c) => !lost.has(c.id));
    for (const cp of doc.checkpoints) if (cp.vmId === vm.id) cp.parentId = survivingAncestor(cp.parentId);
    vm.parentCheckpointId = survivingAncestor(vm.parentCheckpointId);
    return lost.size;
}
