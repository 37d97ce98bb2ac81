import type * as pulumi from "@pulumi/pulumi";
import type { checkpointFields, CheckpointOutputs } from "../provider/resources/checkpoint/schema";
import type { vmTargetShape } from "../provider/resources/shared/vm-target";
import type { InputsOf } from "./inputs";
import { HyperVResource } from "./resource";
import checkpointProvider = require("./providers/checkpoint");

/** A Checkpoint's arguments; each field's doc lives on the provider's schema (vmTargetShape, checkpointFields). */
export type CheckpointArgs = InputsOf<typeof vmTargetShape> & InputsOf<typeof checkpointFields>;

/**
 * A checkpoint of a Hyper-V VM. Declaring it takes it; renaming renames it; a new restoreTrigger
 * applies it; removing it deletes it, and Hyper-V merges its differencing disks into the parent
 * (its children stay, re-parented). Checkpoints Hyper-V makes itself (automatic, Recovery,
 * Replica) are never touched.
 */
export class Checkpoint extends HyperVResource {
    declare readonly vmId: pulumi.Output<string>;
    declare readonly vmName: pulumi.Output<string>;
    /** The checkpoint's name as last read from the host. */
    declare readonly checkpointName: pulumi.Output<string>;
    /**
     * What Hyper-V actually made: "production" or "standard" ("unknown" for an adopted checkpoint
     * without memory state). Hyper-V cannot tell them apart afterwards: this record is the only place.
     */
    declare readonly kind: pulumi.Output<CheckpointOutputs["kind"]>;
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
            "Checkpoint",
            name,
            {
                ...args,
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
            },
            opts,
        );
    }
}
