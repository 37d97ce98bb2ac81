import * as pulumi from "@pulumi/pulumi";
import { withoutUndefined } from "../provider/shared/objects";
import type { PolicyLimits } from "../provider/resources/shared/take-limits";
import type { CheckpointType } from "../provider/host/model";
import { type policyFields, policyResultShape, type PolicySettings } from "../provider/resources/policy/schema";
import type { vmTargetShape } from "../provider/resources/shared/vm-target";
import type { InputsOf } from "./inputs";
import type { OutputsOf } from "./outputs";
import { dynamicRegistration } from "./resource";

/** Hyper-V's per-VM checkpoint type (`Set-VM -CheckpointType`). */
export type HyperVCheckpointType = CheckpointType;

/** The checkpoint settings of a VM at one moment. */
export type CheckpointSettings = PolicySettings;

/** A VmCheckpointPolicy's arguments; each field's doc lives on the provider's schema (vmTargetShape, policyFields). */
export type VmCheckpointPolicyArgs = InputsOf<typeof vmTargetShape> & InputsOf<typeof policyFields>;

/** The outputs, typed from the provider's shape of what the resource reports (each field's doc lives there). */
export interface VmCheckpointPolicy extends OutputsOf<typeof policyResultShape> {}

/**
 * How a Hyper-V VM takes checkpoints, kept the way it is declared. Fields left unset are not
 * managed: they are left as found and reported in the outputs. Destroying the resource puts back
 * the settings the VM had before.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares only the outputs, which Pulumi's Resource sets
export class VmCheckpointPolicy extends pulumi.CustomResource {
    /**
     * The take limits declared here (minFreeSpace, maxChainDepth), for the VM's Checkpoints and
     * CheckpointGroups to pass as `policyLimits`: `new Checkpoint("x", { vmName: "web01",
     * policyLimits: policy.takeLimits })`. Taken from the declaration, not from the provider's
     * outputs, so that it is known in preview (which refuses a take past them) even while the
     * policy itself is still to be created.
     */
    readonly takeLimits: pulumi.Output<PolicyLimits>;

    constructor(name: string, args: VmCheckpointPolicyArgs, opts?: pulumi.CustomResourceOptions) {
        const registration = dynamicRegistration("policy", "VmCheckpointPolicy", name, policyResultShape, { ...args }, opts);
        try {
            super(...registration.args);
        } catch (e) {
            throw registration.withStack(e);
        } finally {
            registration.restore();
        }
        this.takeLimits = pulumi.output({ minFreeSpace: args.minFreeSpace, maxChainDepth: args.maxChainDepth }).apply((limits) => withoutUndefined(limits));
    }
}
