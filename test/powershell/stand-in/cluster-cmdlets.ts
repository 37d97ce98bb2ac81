import type { LabDocument } from "../../../provider/lab/document";
import { sameIgnoringCase } from "../../../provider/host/text";
import { refusal } from "./cmdlets";

/*
 * What the FailoverClusters stand-in module's cmdlets (module/FailoverClusters) answer, from the
 * cluster lab's records: the whole cluster, whichever node asks. Only what the adapter and the
 * tests use, in the shapes of Microsoft's module (Microsoft Learn, FailoverClusters module,
 * https://learn.microsoft.com/powershell/module/failoverclusters/):
 *
 * - Get-Cluster: a Cluster whose Name is the cluster's name.
 * - Get-ClusterNode [[-Name] <StringCollection>]: ClusterNode objects with Name and State, one of
 *   Up, Down, Paused, Joining (CLUSTER_NODE_STATE, "ClusNode.State property").
 * - Get-ClusterGroup [[-Name] <StringCollection>] [-VMId <Guid>]: ClusterGroup objects (a
 *   clustered role) with Name, OwnerNode, State (Online, Offline...) and GroupType; a clustered VM
 *   is a role of GroupType VirtualMachine named after the VM (what Failover Cluster Manager names
 *   it), and the core "Cluster Group" (GroupType Cluster) is always listed. -VMId selects the
 *   role of that VM; a VM that is not a clustered role has none, and the stand-in writes nothing
 *   for it (an assumption: Microsoft's page does not say whether the real cmdlet writes an error).
 * - Get-ClusterResource [-InputObject <group>]: the group's ClusterResource objects with Name,
 *   ResourceType, OwnerGroup, OwnerNode and State; a VM role holds one resource of type "Virtual
 *   Machine" named "Virtual Machine <VM name>" (what Failover Cluster Manager names it).
 * - Get-ClusterParameter -InputObject <resource> -Name MigrationState: the Virtual Machine
 *   resource's private property MigrationState (Microsoft Learn, "MigrationState", Virtual Machine
 *   private properties, learn.microsoft.com/previous-versions/windows/desktop/mscs/virtual-machines-migrationstate):
 *   0 no migration; 2 Data Transfer while a live migration copies the VM; 3 Move while the group
 *   moves, which is how the stand-in shows a quick migration (an assumption: the page describes live
 *   migration only). 1 Setup, 4 Canceled and 5 Failure are not modelled.
 *
 * On a stand-alone lab the node is in no cluster, and every cmdlet fails as the real module does
 * when the Cluster service does not answer (terminating).
 */

export const CLUSTER_CMDLETS: ReadonlySet<string> = new Set([
    "Get-Cluster",
    "Get-ClusterNode",
    "Get-ClusterGroup",
    "Get-ClusterResource",
    "Get-ClusterParameter",
]);

/** A VM role's Virtual Machine resource is named after the VM, as Failover Cluster Manager names it. */
const VM_RESOURCE_PREFIX = "Virtual Machine ";

type Parameters = Record<string, unknown>;

/** States in which Hyper-V's cluster resource holds the VM online (running, or on its way somewhere). */
const OFFLINE_VM_STATES = new Set(["Off", "Saved", "FastSaved"]);

export function runClusterCmdlet(doc: LabDocument, cmdlet: string, p: Parameters): unknown {
    const cluster = doc.host.cluster;
    if (!cluster) {
        throw refusal(
            "ClusterServiceNotRunning",
            "ConnectionError",
            "The cluster service is not running on this computer: it is not a node of a failover cluster.",
            ".",
        );
    }
    const named = (name: string, wanted: unknown) => !Array.isArray(wanted) || wanted.some((w) => sameIgnoringCase(String(w), name));
    switch (cmdlet) {
        case "Get-Cluster":
            return { Name: cluster.name };
        case "Get-ClusterNode":
            return cluster.nodes
                .filter((n) => named(n.name, p.Name))
                .map((n, i) => ({ Name: n.name, State: n.state, Id: String(i + 1), Cluster: cluster.name }));
        case "Get-ClusterGroup": {
            const vmId = p.VMId === undefined ? undefined : String(p.VMId).toLowerCase();
            const core = {
                Name: "Cluster Group",
                OwnerNode: cluster.nodes.find((n) => n.state === "Up")?.name ?? cluster.nodes[0]?.name ?? "",
                State: "Online",
                GroupType: "Cluster",
            };
            const roles = doc.vms
                .filter((v) => v.clustered && v.ownerNode !== null)
                .map((v) => ({
                    vmId: v.id,
                    group: {
                        Name: v.name,
                        OwnerNode: v.ownerNode ?? "",
                        State: OFFLINE_VM_STATES.has(v.state) ? "Offline" : "Online",
                        GroupType: "VirtualMachine",
                    },
                }));
            if (vmId !== undefined) return roles.filter((r) => r.vmId === vmId).map((r) => ({ ...r.group, Cluster: cluster.name }));
            return [core, ...roles.map((r) => r.group)].filter((g) => named(g.Name, p.Name)).map((g) => ({ ...g, Cluster: cluster.name }));
        }
        case "Get-ClusterResource": {
            // Only a group's resources (Get-ClusterGroup ... | Get-ClusterResource): what the adapter asks.
            if (typeof p.Group !== "string") throw new Error("the FailoverClusters stand-in lists the resources of one group only (-InputObject <group>)");
            const group = p.Group;
            return doc.vms
                .filter((v) => v.clustered && v.ownerNode !== null && sameIgnoringCase(v.name, group))
                .map((v) => ({
                    Name: `${VM_RESOURCE_PREFIX}${v.name}`,
                    ResourceType: "Virtual Machine",
                    OwnerGroup: v.name,
                    OwnerNode: v.ownerNode ?? "",
                    State: OFFLINE_VM_STATES.has(v.state) ? "Offline" : "Online",
                    Cluster: cluster.name,
                }));
        }
        case "Get-ClusterParameter": {
            const resource = String(p.Resource ?? "");
            if (p.Name !== "MigrationState")
                throw new Error(`the FailoverClusters stand-in reads the private property MigrationState only, not ${String(p.Name)}`);
            const vm = doc.vms.find((v) => v.clustered && `${VM_RESOURCE_PREFIX}${v.name}`.toLowerCase() === resource.toLowerCase());
            if (!vm) return [];
            const state = vm.migration === null ? 0 : vm.migration.kind === "live" ? 2 : 3;
            return [{ ClusterObject: resource, Name: "MigrationState", Value: state, Type: "UInt32" }];
        }
        default:
            throw new Error(`the FailoverClusters stand-in has no cmdlet ${cmdlet}`);
    }
}
