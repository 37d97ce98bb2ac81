import * as pulumi from "@pulumi/pulumi";
import * as hyperv from "hyperv-checkpoints";

// Tests drive this program through stack configuration: e2e:policies and e2e:checkpoints are JSON
// maps of resource name to arguments, so one program covers every e2e scenario.
const config = new pulumi.Config("e2e");
const policies = config.getObject<Record<string, hyperv.VmCheckpointPolicyArgs>>("policies") ?? {};
// A checkpoint's dependsOnPolicy and dependsOnCheckpoint name a policy, or a checkpoint declared before it, it waits for;
// its limitsOf names a policy whose take limits it passes as policyLimits.
const checkpoints =
    config.getObject<Record<string, hyperv.CheckpointArgs & { dependsOnPolicy?: string; dependsOnCheckpoint?: string; limitsOf?: string }>>("checkpoints") ??
    {};

const declaredPolicies: Record<string, hyperv.VmCheckpointPolicy> = {};
for (const [name, args] of Object.entries(policies)) {
    declaredPolicies[name] = new hyperv.VmCheckpointPolicy(name, args);
}
const declaredCheckpoints: Record<string, hyperv.Checkpoint> = {};
for (const [name, { dependsOnPolicy, dependsOnCheckpoint, limitsOf, ...args }] of Object.entries(checkpoints)) {
    const dependsOn = [
        dependsOnPolicy ? declaredPolicies[dependsOnPolicy] : undefined,
        dependsOnCheckpoint ? declaredCheckpoints[dependsOnCheckpoint] : undefined,
    ];
    const policyLimits = limitsOf ? { policyLimits: declaredPolicies[limitsOf]!.takeLimits } : {};
    declaredCheckpoints[name] = new hyperv.Checkpoint(name, { ...args, ...policyLimits }, { dependsOn: dependsOn.filter((d) => d !== undefined) });
}

export const policyOutputs = Object.fromEntries(
    Object.entries(declaredPolicies).map(([name, p]) => [
        name,
        pulumi
            .all([p.vmId, p.checkpointType, p.productionCheckpointPossible, p.productionBlockedBy, p.priorSettings])
            .apply(([vmId, checkpointType, productionCheckpointPossible, productionBlockedBy, priorSettings]) => ({
                vmId,
                checkpointType,
                productionCheckpointPossible,
                productionBlockedBy,
                priorSettings,
            })),
    ]),
);
export const checkpointOutputs = Object.fromEntries(
    Object.entries(declaredCheckpoints).map(([name, c]) => [
        name,
        pulumi
            .all([c.id, c.checkpointName, c.kind, c.fellBack, c.holdsMemory, c.parentCheckpointId, c.vmId, c.lastRestoreTime])
            .apply(([id, checkpointName, kind, fellBack, holdsMemory, parentCheckpointId, vmId, lastRestoreTime]) => ({
                id,
                checkpointName,
                kind,
                fellBack,
                holdsMemory,
                parentCheckpointId,
                vmId,
                lastRestoreTime,
            })),
    ]),
);

// What the resources report on disk (issue #28): per policy the VM's bytes, deepest chain and
// volumes; per checkpoint its files, depth and age.
export const diskOutputs = {
    policies: Object.fromEntries(
        Object.entries(declaredPolicies).map(([name, p]) => [
            name,
            pulumi
                .all([p.checkpointBytes, p.deepestChain, p.volumes])
                .apply(([checkpointBytes, deepestChain, volumes]) => ({ checkpointBytes, deepestChain, volumes })),
        ]),
    ),
    checkpoints: Object.fromEntries(
        Object.entries(declaredCheckpoints).map(([name, c]) => [
            name,
            pulumi.all([c.diskFiles, c.chainDepth, c.ageSeconds]).apply(([diskFiles, chainDepth, ageSeconds]) => ({ diskFiles, chainDepth, ageSeconds })),
        ]),
    ),
};
