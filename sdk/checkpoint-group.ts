import type * as pulumi from "@pulumi/pulumi";
import type { groupFields, groupMemberShape } from "../provider/resources/group/schema";
import type { InputsOf } from "./inputs";
import { HyperVResource } from "./resource";
import groupProvider = require("./providers/checkpoint-group");

/** One VM of a group (fields documented on the provider's groupMemberShape). */
export type CheckpointGroupVm = InputsOf<typeof groupMemberShape>;

/** A group's arguments (fields documented on the provider's groupFields); `vms` is required. */
export type CheckpointGroupArgs = Omit<InputsOf<typeof groupFields>, "vms"> & {
    /**
     * The VMs, in the order they roll back (first rolls back first; e.g. web, app, database).
     * Another VM, or another host or type for one, replaces the group: the new one captures every
     * VM as it is now. The same VMs in another order only change the order of the next rollback.
     */
    vms: pulumi.Input<pulumi.Input<CheckpointGroupVm>[]>;
};

/** What the group holds on one VM. */
export interface CheckpointGroupMember {
    vmId: string;
    vmName: string;
    host?: string;
    checkpointId: string;
    /** The checkpoint's name as last read from the host. */
    checkpointName: string;
    /** False when the last refresh found the checkpoint gone: the next `up` replaces the group. */
    present: boolean;
    kind: "production" | "standard";
    fellBack: boolean;
    holdsMemory: boolean;
    vmStateAtCreation: string;
    creationTime: string;
}

/**
 * One checkpoint on each of several VMs, taken all or nothing and rolled back together, in order.
 * Declaring it checks every VM first, then takes the checkpoints; if one fails, the ones taken are
 * removed again. A new restoreTrigger rolls every VM back in the order of `vms` and, with
 * startAfterRestore, starts them in `startOrder`. Removing it removes every checkpoint (merged).
 */
export class CheckpointGroup extends HyperVResource {
    /** One per VM of `vms`, in that order. */
    declare readonly members: pulumi.Output<CheckpointGroupMember[]>;
    declare readonly lastRestoreTime: pulumi.Output<string | null>;
    /** What the last rollback did, in order, e.g. "rolled back web01, app01, db01; started db01, app01, web01". */
    declare readonly lastRestoreResult: pulumi.Output<string | null>;

    constructor(name: string, args: CheckpointGroupArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            groupProvider,
            "CheckpointGroup",
            name,
            {
                ...args,
                name: args.name ?? name,
                members: undefined,
                lastRestoreTime: undefined,
                lastRestoreResult: undefined,
            },
            opts,
        );
    }
}
