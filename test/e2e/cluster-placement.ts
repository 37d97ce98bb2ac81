import { addVm, inspectLab, type NewVm } from "../../provider/lab";

/*
 * The VMs, policies and checkpoints both cluster stories declare (cluster.test.ts on the cluster
 * lab, powershell-cluster.test.ts on three SSH nodes): one table, so the two stories stay the same
 * fleet.
 */

/** VMs spread over the three nodes; build is local to node3 (no cluster role). */
export const CLUSTER_VMS: readonly NewVm[] = [
    { name: "web", state: "Running", node: "node1", clustered: true },
    { name: "sql", state: "Running", node: "node2", clustered: true },
    { name: "app", state: "Running", node: "node3", clustered: true },
    { name: "build", state: "Running", node: "node3" },
];

/** Policies by resource name: web and app keep their checkpoints on the cluster's shared volume. */
export const CLUSTER_POLICIES: Readonly<Record<string, Record<string, unknown>>> = {
    webPolicy: { vmName: "web", type: "production", fileLocation: "C:\\ClusterStorage\\Volume1\\Checkpoints\\web" },
    sqlPolicy: { vmName: "sql", type: "production" },
    appPolicy: { vmName: "app", type: "standard", fileLocation: "C:\\ClusterStorage\\Volume1\\Checkpoints\\app" },
};

/** One checkpoint per VM, by resource name. */
export const CLUSTER_CHECKPOINTS: Readonly<Record<string, Record<string, unknown>>> = {
    webCp: { vmName: "web", name: "before patch", dependsOnPolicy: "webPolicy" },
    sqlCp: { vmName: "sql", name: "before patch", dependsOnPolicy: "sqlPolicy" },
    appCp: { vmName: "app", name: "before patch", dependsOnPolicy: "appPolicy" },
    buildCp: { vmName: "build", name: "before patch" },
};

/** Adds CLUSTER_VMS and `extra` to a cluster lab. */
export async function addClusterVms(lab: string, extra: readonly NewVm[] = []): Promise<void> {
    for (const vm of [...CLUSTER_VMS, ...extra]) await addVm(lab, vm);
}

/** Checkpoint names by VM name, and which node owns each VM. */
export function where(lab: string): Record<string, { node: string; checkpoints: string[] }> {
    return Object.fromEntries(
        inspectLab(lab).vms.map((e) => [e.vm.name, { node: e.placement?.ownerNode ?? "", checkpoints: e.checkpoints.map((c) => c.name) }]),
    );
}
