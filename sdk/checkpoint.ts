import * as pulumi from "@pulumi/pulumi";
import { checkpointNameOr } from "../provider/resources/shared/default-name";
import { type checkpointFields, checkpointResultShape } from "../provider/resources/checkpoint/schema";
import type { vmTargetShape } from "../provider/resources/shared/vm-target";
import type { InputsOf } from "./inputs";
import type { OutputsOf } from "./outputs";
import { dynamicRegistration } from "./resource";

/** A Checkpoint's arguments; each field's doc lives on the provider's schema (vmTargetShape, checkpointFields). */
export type CheckpointArgs = InputsOf<typeof vmTargetShape> & InputsOf<typeof checkpointFields>;

/** The outputs, typed from the provider's shape of what the resource reports (each field's doc lives there). */
export interface Checkpoint extends OutputsOf<typeof checkpointResultShape> {}

/**
 * A checkpoint of a Hyper-V VM. Declaring it takes it; renaming renames it; a new restoreTrigger
 * applies it; removing it deletes it, and Hyper-V merges its differencing disks into the parent
 * (its children stay, re-parented). Checkpoints Hyper-V makes itself (automatic, Recovery,
 * Replica) are never touched.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares only the outputs, which Pulumi's Resource sets
export class Checkpoint extends pulumi.CustomResource {
    constructor(name: string, args: CheckpointArgs, opts?: pulumi.CustomResourceOptions) {
        const registration = dynamicRegistration("checkpoint", "Checkpoint", name, checkpointResultShape, checkpointNameOr(args, name), opts);
        try {
            super(...registration.args);
        } catch (e) {
            throw registration.withStack(e);
        } finally {
            registration.restore();
        }
    }
}
