import * as pulumi from "@pulumi/pulumi";
import * as hyperv from "hyperv-checkpoints";

// The stack names the cluster (hyperv:host lab:<folder>, or hyperv:nodes for a real one): no VM
// says which node it is on, since migration and failover move it; the provider finds it.
const config = new pulumi.Config("cluster");
// A Cluster Shared Volume: every node sees it, so checkpoints survive a failover.
const checkpointRoot = config.get("checkpointRoot") ?? "C:\\ClusterStorage\\Volume1\\Checkpoints";

// Servers take production (VSS) checkpoints; sql01 and dc01 never fall back to standard ones.
const servers: Record<string, { fallbackToStandard: boolean }> = {
    web01: { fallbackToStandard: true },
    sql01: { fallbackToStandard: false },
    dc01: { fallbackToStandard: false },
    // reports keeps its checkpoint files on a node's local disk (D:\) in the sample: its policy
    // moves them to the shared volume. Declaring a local folder instead fails preview (the CSV rule).
    reports: { fallbackToStandard: true },
};

const policies = Object.entries(servers).map(([vmName, { fallbackToStandard }]) => ({
    vmName,
    policy: new hyperv.VmCheckpointPolicy(vmName, {
        vmName,
        type: "production",
        fallbackToStandard,
        fileLocation: `${checkpointRoot}\\${vmName}`,
    }),
}));

// One checkpoint of each VM before patching the cluster, whichever node each runs on now.
const beforePatching = ["web01", "sql01"].map((vmName) => ({
    vmName,
    checkpoint: new hyperv.Checkpoint(`${vmName}-before-patching`, { vmName, name: "Before cluster patching" }, { dependsOn: policies.map((p) => p.policy) }),
}));

// Keyed by the VM names declared above (plain strings: an output cannot be an object's key).
export const checkpoints = Object.fromEntries(beforePatching.map(({ vmName, checkpoint }) => [vmName, checkpoint.checkpointName]));
export const checkpointTypes = Object.fromEntries(policies.map(({ vmName, policy }) => [vmName, policy.checkpointType]));
