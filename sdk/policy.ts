import * as pulumi from "@pulumi/pulumi";
import policyProvider = require("./providers/policy");

/** Hyper-V's per-VM checkpoint type (`Set-VM -CheckpointType`). */
export type HyperVCheckpointType = "Disabled" | "Production" | "ProductionOnly" | "Standard";

/** The checkpoint settings of a VM at one moment. */
export interface CheckpointSettings {
    checkpointType: HyperVCheckpointType | null;
    fileLocation: string;
    automaticCheckpoints: boolean | null;
    backupIntegrationEnabled: boolean | null;
}

export interface VmCheckpointPolicyArgs {
    /** The VM's name. Names are not unique on Hyper-V: an ambiguous name is an error listing the ids. Changing it replaces the resource. */
    vmName?: pulumi.Input<string>;
    /** The VM's id (GUID), instead of vmName. Changing it replaces the resource. */
    vmId?: pulumi.Input<string>;
    /** A host address other than the stack's `hyperv:host` (lab:<folder>, local, ssh://user@host, winrm://host). Credentials always come from the stack's configuration. */
    host?: pulumi.Input<string>;
    /**
     * "production": application-consistent checkpoints through the guest's VSS, no memory state
     * (for servers). "standard": memory and device state included (for test and development).
     * Unset: the VM's type is left as it is.
     */
    type?: pulumi.Input<"production" | "standard">;
    /**
     * With type "production": fall back to a standard checkpoint when a production one cannot be
     * made (Hyper-V's `Production`, its default). false: fail instead (`ProductionOnly`).
     */
    fallbackToStandard?: pulumi.Input<boolean>;
    /** true: no checkpoints can be taken or applied on this VM (`Disabled`). The declared type applies again when set back to false. */
    disabled?: pulumi.Input<boolean>;
    /** Absolute folder on the host for checkpoint files (.vmcx, .vmrs). Hyper-V lets it change only while the VM has no checkpoints. */
    fileLocation?: pulumi.Input<string>;
    /** Whether Hyper-V takes a checkpoint when the VM starts (Windows Server 2019 / Windows 10 1709 and later). */
    automaticCheckpoints?: pulumi.Input<boolean>;
    /** Enable the "Backup (volume shadow copy)" integration service that production checkpoints need. */
    ensureBackupIntegration?: pulumi.Input<boolean>;
}

/**
 * How a Hyper-V VM takes checkpoints, kept the way it is declared. Fields left unset are not
 * managed: they are left as found and reported in the outputs. Destroying the resource puts back
 * the settings the VM had before.
 */
export class VmCheckpointPolicy extends pulumi.dynamic.Resource {
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
            name,
            {
                ...args,
                // Where the provider shows its warnings (the engine gives a dynamic provider no URN).
                resourceUrn: pulumi.createUrn(name, "pulumi-nodejs:dynamic/hyperv:VmCheckpointPolicy", opts?.parent),
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
                // Tells the provider's check it runs in a preview, where it predicts what the host will refuse; check drops it.
                __hvcpPreview: pulumi.runtime.isDryRun(),
            },
            opts,
            "hyperv",
            "VmCheckpointPolicy",
        );
    }
}
