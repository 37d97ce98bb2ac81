import { HostError, isHostError } from "../../host";

/*
 * Hyper-V refuses a checkpoint of a VM whose policy is Disabled. The usual way out is to enable
 * checkpoints in the VM's VmCheckpointPolicy and make the checkpoint depend on it; but when the
 * checkpoint already depends on a VmCheckpointPolicy, `up` applied that policy first and
 * checkpoints are still disabled: the advice then is to enable them there or drop the checkpoint.
 */

const POLICY_TYPE = "pulumi-nodejs:dynamic/hyperv:VmCheckpointPolicy";

/** The names of the VmCheckpointPolicy resources among `urns` (urn:pulumi:<stack>::<project>::<type>::<name>). */
export function policyNamesAmong(urns: readonly string[]): string[] {
    return urns.flatMap((urn) => {
        const [, , qualifiedType, ...name] = urn.split("::");
        const type = qualifiedType?.split("$").pop();
        return type === POLICY_TYPE && name.length > 0 ? [name.join("::")] : [];
    });
}

/** A CheckpointsDisabled refusal with advice that fits a checkpoint already depending on a VmCheckpointPolicy. */
export function withFittingAdvice(e: unknown, dependsOn: readonly string[]): unknown {
    const policies = policyNamesAmong(dependsOn);
    if (!isHostError(e, "CheckpointsDisabled") || policies.length === 0) return e;
    const named = policies.map((p) => `"${p}"`).join(", ");
    return new HostError(e.code, e.detail, e.context, {
        hint:
            `this Checkpoint already dependsOn VmCheckpointPolicy ${named}, which \`pulumi up\` applies first, and checkpoints stay disabled after it: ` +
            "set disabled: false in this VM's VmCheckpointPolicy to take it, or remove this Checkpoint",
        cause: e.cause ?? e,
        predicted: e.predicted,
    });
}
