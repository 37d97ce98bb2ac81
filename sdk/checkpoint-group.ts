import * as pulumi from "@pulumi/pulumi";
import { groupNameOr } from "../provider/resources/shared/default-name";
import { type GroupMemberOutput, type groupFields, type groupMemberShape, groupResultShape } from "../provider/resources/group/schema";
import type { InputsOf } from "./inputs";
import type { OutputsOf } from "./outputs";
import { dynamicRegistration } from "./resource";

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

/** What the group holds on one VM (fields documented on the provider's groupMemberOutputSchema). */
export type CheckpointGroupMember = GroupMemberOutput;

/** The outputs, typed from the provider's shape of what the resource reports (each field's doc lives there). */
export interface CheckpointGroup extends OutputsOf<typeof groupResultShape> {}

/**
 * One checkpoint on each of several VMs, taken all or nothing and rolled back together, in order.
 * Declaring it checks every VM first, then takes the checkpoints; if one fails, the ones taken are
 * removed again. A new restoreTrigger rolls every VM back in the order of `vms` and, with
 * startAfterRestore, starts them in `startOrder`. Removing it removes every checkpoint (merged).
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares only the outputs, which Pulumi's Resource sets
export class CheckpointGroup extends pulumi.CustomResource {
    constructor(name: string, args: CheckpointGroupArgs, opts?: pulumi.CustomResourceOptions) {
        const registration = dynamicRegistration("checkpoint-group", "CheckpointGroup", name, groupResultShape, groupNameOr(args, name), opts);
        try {
            super(...registration.args);
        } catch (e) {
            throw registration.withStack(e);
        } finally {
            registration.restore();
        }
    }
}
