import type * as pulumi from "@pulumi/pulumi";
import type { CheckpointType } from "../provider/host/model";
import { type policyFields, policyResultShape, type PolicySettings } from "../provider/resources/policy/schema";
import type { vmTargetShape } from "../provider/resources/shared/vm-target";
import type { InputsOf } from "./inputs";
import type { OutputsOf } from "./outputs";
import { HyperVResource } from "./resource";
import policyProvider = require("./providers/policy");

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
export class VmCheckpointPolicy extends HyperVResource {
    constructor(name: string, args: VmCheckpointPolicyArgs, opts?: pulumi.CustomResourceOptions) {
        super(policyProvider, "VmCheckpointPolicy", name, policyResultShape, { ...args }, opts);
    }
}
