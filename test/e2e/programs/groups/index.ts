import * as pulumi from "@pulumi/pulumi";
import * as hyperv from "hyperv-checkpoints";

// Tests drive this program through stack configuration: e2e:policies and e2e:groups are JSON maps
// of resource name to arguments; a group's dependsOnPolicies names the policies it waits for.
const config = new pulumi.Config("e2e");
const policies = config.getObject<Record<string, hyperv.VmCheckpointPolicyArgs>>("policies") ?? {};
const groups = config.getObject<Record<string, hyperv.CheckpointGroupArgs & { dependsOnPolicies?: string[] }>>("groups") ?? {};

const declaredPolicies: Record<string, hyperv.VmCheckpointPolicy> = {};
for (const [name, args] of Object.entries(policies)) {
    declaredPolicies[name] = new hyperv.VmCheckpointPolicy(name, args);
}
const declaredGroups: Record<string, hyperv.CheckpointGroup> = {};
for (const [name, { dependsOnPolicies, ...args }] of Object.entries(groups)) {
    declaredGroups[name] = new hyperv.CheckpointGroup(name, args, { dependsOn: (dependsOnPolicies ?? []).map((p) => declaredPolicies[p]!) });
}

export const groupOutputs = Object.fromEntries(
    Object.entries(declaredGroups).map(([name, g]) => [
        name,
        pulumi
            .all([g.id, g.members, g.lastRestoreTime, g.lastRestoreResult])
            .apply(([id, members, lastRestoreTime, lastRestoreResult]) => ({ id, members, lastRestoreTime, lastRestoreResult })),
    ]),
);
