import * as pulumi from "@pulumi/pulumi";
import checkpointProvider = require("./providers/checkpoint");

export interface CheckpointArgs {
    /** The VM's name (names are not unique: an ambiguous name is an error listing the ids). Changing it replaces the checkpoint. */
    vmName?: pulumi.Input<string>;
    /** The VM's id (GUID), instead of vmName. Changing it replaces the checkpoint. */
    vmId?: pulumi.Input<string>;
    /** A host address other than the stack's `hyperv:host`. Changing it replaces the checkpoint. */
    host?: pulumi.Input<string>;
    /** The checkpoint's name in Hyper-V, 1 to 100 characters; defaults to the resource name. Renamed in place. */
    name?: pulumi.Input<string>;
    /**
     * The kind of checkpoint to take, for this checkpoint only: "production" (falls back to standard
     * when production is impossible), "productionOnly" (fails instead) or "standard". Unset: the VM's
     * policy decides. A VM whose policy is Disabled is never overridden. Changing it replaces the
     * checkpoint, and the replacement captures the VM as it is *now*, not as it was.
     */
    type?: pulumi.Input<"production" | "productionOnly" | "standard">;
    /**
     * Any string. Changing it on an existing checkpoint applies (restores) the checkpoint: the VM
     * rolls back to it. Leaves the VM Off after a production or disk-only checkpoint, Saved after a
     * standard checkpoint with memory.
     */
    restoreTrigger?: pulumi.Input<string>;
    /** Start the VM after applying the checkpoint (default false). */
    startAfterRestore?: pulumi.Input<boolean>;
    /**
     * Take over an existing checkpoint by id instead of taking a new one (Pulumi's `import` does not
     * work for dynamic resources). Nothing on the host changes, unless `name` is also given.
     */
    adoptId?: pulumi.Input<string>;
}

/**
 * A checkpoint of a Hyper-V VM. Declaring it takes it; renaming renames it; a new restoreTrigger
 * applies it; removing it deletes it, and Hyper-V merges its differencing disks into the parent
 * (its children stay, re-parented). Checkpoints Hyper-V makes itself (automatic, Recovery,
 * Replica) are never touched.
 */
export class Checkpoint extends pulumi.dynamic.Resource {
    declare readonly vmId: pulumi.Output<string>;
    declare readonly vmName: pulumi.Output<string>;
    /** The checkpoint's name as last read from the host. */
    declare readonly checkpointName: pulumi.Output<string>;
    /**
     * What Hyper-V actually made: "production" or "standard" ("unknown" for an adopted checkpoint
     * without memory state). Hyper-V cannot tell them apart afterwards: this record is the only place.
     */
    declare readonly kind: pulumi.Output<"production" | "standard" | "unknown">;
    /** A production checkpoint was asked for and Hyper-V fell back to a standard one (null: unknown). */
    declare readonly fellBack: pulumi.Output<boolean | null>;
    /** The checkpoint holds memory state: applying it brings the VM back Saved, not Off. */
    declare readonly holdsMemory: pulumi.Output<boolean>;
    declare readonly vmStateAtCreation: pulumi.Output<string>;
    declare readonly snapshotType: pulumi.Output<string>;
    declare readonly parentCheckpointId: pulumi.Output<string | null>;
    declare readonly creationTime: pulumi.Output<string>;
    declare readonly lastRestoreTime: pulumi.Output<string | null>;
    declare readonly adopted: pulumi.Output<boolean>;

    constructor(name: string, args: CheckpointArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            checkpointProvider,
            name,
            {
                ...args,
                // Where the provider shows its warnings about this checkpoint (the engine gives it no URN).
                resourceUrn: pulumi.createUrn(name, "pulumi-nodejs:dynamic/hyperv:Checkpoint", opts?.parent),
                name: args.name ?? (args.adoptId === undefined ? name : undefined),
                vmId: args.vmId,
                vmName: args.vmName,
                checkpointName: undefined,
                kind: undefined,
                fellBack: undefined,
                holdsMemory: undefined,
                vmStateAtCreation: undefined,
                snapshotType: undefined,
                parentCheckpointId: undefined,
                creationTime: undefined,
                lastRestoreTime: undefined,
                adopted: undefined,
                // Tells the provider's check it runs in a preview, where it predicts what the host will refuse; check drops it.
                __hvcpPreview: pulumi.runtime.isDryRun(),
            },
            opts,
            "hyperv",
            "Checkpoint",
        );
    }
}
