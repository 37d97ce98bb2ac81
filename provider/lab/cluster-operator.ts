import * as path from "node:path";
import { isHostError } from "../host/errors";
import type { VmRef } from "../host/model";
import { beginMigration, clusterOf, completeMigration, ownedBy, startNode, stopNode, type Failover } from "./cluster";
import type { LabNode } from "./document";
import { resolveVm, scopeOf } from "./lookup";
import { loadLab, readLab, rewriteLab, updateLab } from "./store";

/*
 * What a cluster administrator does behind the provider's back (Failover Cluster Manager,
 * Move-ClusterVirtualMachineRole, a node losing power): used by the `hyperv-lab` CLI and by tests.
 * The rules are cluster.ts's.
 */

export interface MigrationOptions {
    /** Quick migration (save, move, restore) instead of live migration. */
    quick?: boolean;
    /** How long the VM stays mid-migration (locked on its source) before it lands; default 0. */
    seconds?: number;
}

/** Where a VM is: its owner node, and the migration under way if any (what Get-ClusterGroup tells). */
export interface VmWhereabouts {
    vmId: string;
    vm: string;
    ownerNode: string;
    migration: { from: string; to: string } | null;
}

/** Starts a migration: the VM stays on its source, refusing operations, until completeMigration. */
export async function beginLabMigration(labFolder: string, ref: VmRef, to: string, options: { quick?: boolean } = {}): Promise<VmWhereabouts> {
    const folder = path.resolve(labFolder);
    const vmId = resolveVm(loadLab(folder), ref, scopeOf(loadLab(folder), { host: folder, operation: "migrate VM" })).id;
    return updateLab(folder, { operation: "migrateVm", vmId }, (doc) => {
        const scope = scopeOf(doc, { host: folder, operation: "migrate VM" });
        const vm = resolveVm(doc, { id: vmId }, scope);
        beginMigration(doc, vm, to, options.quick ? "quick" : "live", scope);
        return whereabouts(vm);
    });
}

/** Lands a migration begun before (a migration a node stop abandoned stays where it was). */
export async function completeLabMigration(labFolder: string, ref: VmRef): Promise<VmWhereabouts> {
    const folder = path.resolve(labFolder);
    const vmId = resolveVm(loadLab(folder), ref, scopeOf(loadLab(folder), { host: folder, operation: "migrate VM" })).id;
    // The provider's refused attempt may hold the VM's busy marker for an instant: the landing waits it out.
    for (let attempt = 0; ; attempt++) {
        try {
            return await updateLab(folder, { operation: "migrateVm", vmId }, (doc) => {
                const vm = resolveVm(doc, { id: vmId }, scopeOf(doc, { host: folder, operation: "migrate VM" }));
                completeMigration(vm);
                return whereabouts(vm);
            });
        } catch (e) {
            if (!isHostError(e, "InvalidVmState") || attempt >= 100) throw e;
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
    }
}

/** `vm migrate`: begins, holds for `seconds`, lands. */
export async function migrateLabVm(labFolder: string, ref: VmRef, to: string, options: MigrationOptions = {}): Promise<VmWhereabouts> {
    await beginLabMigration(labFolder, ref, to, options);
    if (options.seconds) await new Promise((resolve) => setTimeout(resolve, options.seconds! * 1000));
    return completeLabMigration(labFolder, ref);
}

/** `node stop`: the node goes down and its clustered VMs fail over (cluster.ts, stopNode). */
export async function stopLabNode(labFolder: string, node: string): Promise<Failover> {
    const folder = path.resolve(labFolder);
    let failover: Failover | undefined;
    await rewriteLab(folder, (doc) => {
        failover = stopNode(doc, node, { host: folder, operation: "stop node" });
    });
    return failover as Failover;
}

/** `node start`: the node is back; its VMs stay where they failed over to. */
export async function startLabNode(labFolder: string, node: string): Promise<LabNode> {
    const folder = path.resolve(labFolder);
    let started: LabNode | undefined;
    await rewriteLab(folder, (doc) => {
        started = startNode(doc, node, { host: folder, operation: "start node" });
    });
    return started as LabNode;
}

/** Every VM of the cluster and where it is: the cluster host's directory (provider/cluster). */
export function clusterWhereabouts(labFolder: string): { nodes: LabNode[]; vms: VmWhereabouts[] } {
    const folder = path.resolve(labFolder);
    const doc = readLab(folder);
    const cluster = clusterOf(doc, { host: folder, operation: "get cluster" });
    return { nodes: cluster.nodes, vms: cluster.nodes.flatMap((n) => ownedBy(doc, n.name).map(whereabouts)) };
}

function whereabouts(vm: { id: string; name: string; ownerNode: string | null; migration: { from: string; to: string } | null }): VmWhereabouts {
    return { vmId: vm.id, vm: vm.name, ownerNode: vm.ownerNode ?? "", migration: vm.migration ? { from: vm.migration.from, to: vm.migration.to } : null };
}
