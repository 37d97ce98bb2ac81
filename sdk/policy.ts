import type * as pulumi from "@pulumi/pulumi";
import type { CheckpointType } from "../provider/host/model";
import type { policyFields, PolicySettings } from "../provider/resources/policy/schema";
import type { vmTargetShape } from "../provider/resources/shared/vm-target";
import type { InputsOf } from "./inputs";
import { HyperVResource } from "./resource";
import policyProvider = require("./providers/policy");

/** Hyper-V's per-VM checkpoint type (`Set-VM -CheckpointType`). */
export type HyperVCheckpointType = CheckpointType;

/** The checkpoint settings of a VM at one moment. */
export type CheckpointSettings = PolicySettings;

/** A VmCheckpointPolicy's arguments; each field's doc lives on the provider's schema (vmTargetShape, policyFields). */
export type VmCheckpointPolicyArgs = InputsOf<typeof vmTargetShape> & InputsOf<typeof policyFields>;

/**
 * How a Hyper-V VM takes checkpoints, kept the way it is declared. Fields left unset are not
 * managed: they are left as found and reported in the outputs. Destroying the resource puts back
 * the settings the VM had before.
 */
export class VmCheckpointPolicy extends HyperVResource {
    /** The VM's id. */
    declare readonly vmId: pulumi.Output<string>;
    /** The VM's name as last read from the host. */
    declare readonly vmName: pulumi.Output<string>;
    /** The CheckpointType in force on the host (null on hosts without checkpoint types). */
    declare readonly checkpointType: pulumi.Output<HyperVCheckpointType | null>;
    declare readonly checkpointFileLocation: pulumi.Output<string>;
    declare readonly automaticCheckpointsEnabled: pulumi.Output<boolean | null>;
    /** Whether the backup (volume shadow copy) integration service is enabled (null: the VM has none). */
    declare readonly backupIntegrationEnabled: pulumi.Output<boolean | null>;
    /** The VM's configuration version, e.g. "9.0"; production checkpoints need 6.2 or later. */
    declare readonly configurationVersion: pulumi.Output<string>;
    /** Whether a production checkpoint could be made right now. */
    declare readonly productionCheckpointPossible: pulumi.Output<boolean>;
    /** Why not (version, backup service, guest, VM state), or null. */
    declare readonly productionBlockedBy: pulumi.Output<string | null>;
    /** The settings the VM had before this resource took over; destroy puts them back. */
    declare readonly priorSettings: pulumi.Output<CheckpointSettings>;
    /** A declared fileLocation that waits until the VM has no checkpoints (the next `up` applies it), or null. */
    declare readonly fileLocationPending: pulumi.Output<string | null>;
    /** What the last operation could not do and why; also shown as a warning on this resource. */
    declare readonly warning: pulumi.Output<string | null>;

    constructor(name: string, args: VmCheckpointPolicyArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            policyProvider,
            "VmCheckpointPolicy",
            name,
            {
                ...args,
                vmId: args.vmId,
                vmName: args.vmName,
                checkpointType: undefined,
                checkpointFileLocation: undefined,
                automaticCheckpointsEnabled: undefined,
                backupIntegrationEnabled: undefined,
                configurationVersion: undefined,
                productionCheckpointPossible: undefined,
                productionBlockedBy: undefined,
                priorSettings: undefined,
                fileLocationPending: undefined,
                warning: undefined,
            },
            opts,
        );
    }
}
