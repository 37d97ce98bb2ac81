import { z } from "zod";
import { checkpointDiskShape, takeLimitFields, vmDiskShape } from "../shared/disk-outputs";
import { policyLimitsSchema } from "../shared/take-limits";
import { checkpointKindSchema, guidSchema, ordinalKey, vmStateSchema } from "../../host";
import { checkpointNameSchema, checkpointTypeArgSchema } from "../shared/checkpoint-declaration";
import { requireOneVm, vmTargetShape } from "../shared/vm-target";

/**
 * One VM of a group: by name or id, on the stack's host or its own, with its own checkpoint type.
 * The doc comments here and in groupFields are the SDK's: editors show them on CheckpointGroupVm
 * and CheckpointGroupArgs, which are derived from these shapes.
 */
export const groupMemberShape = {
    ...vmTargetShape,
    /** "production", "productionOnly" or "standard" for this VM's checkpoint only; unset: the VM's policy decides. */
    type: checkpointTypeArgSchema.optional(),
    /** The take limits of this VM's VmCheckpointPolicy (`policy.takeLimits`), for what the group does not set itself. */
    policyLimits: policyLimitsSchema.optional(),
};
export const groupMemberSchema = z
    .object(groupMemberShape, { message: "must be a VM: { vmName } or { vmId }, optionally with host and type" })
    .superRefine((value, ctx) => requireOneVm(value, ctx));
export type GroupMember = z.infer<typeof groupMemberSchema>;

/**
 * Which VMs start first after a rollback: "reverse" (the default) starts them in the reverse of
 * the declared order, so a group declared web, app, database rolls back web first and starts the
 * database first; "declared" starts them in the declared order.
 */
export const startOrderSchema = z.enum(["reverse", "declared"], { message: 'startOrder must be "reverse" (the default) or "declared"' });

const memberKey = (m: GroupMember) => `${m.host ?? ""}\n${m.vmId !== undefined ? `id:${m.vmId}` : `name:${ordinalKey(m.vmName!)}`}`;

/** What a program declares for a group (see groupMemberShape for the docs' role). */
export const groupFields = {
    /**
     * The VMs, in the order they roll back (first rolls back first; e.g. web, app, database).
     * Another VM, or another host or type for one, replaces the group: the new one captures every
     * VM as it is now. The same VMs in another order only change the order of the next rollback.
     */
    vms: z
        .array(groupMemberSchema, { message: "vms must be a list of VMs, each { vmName } or { vmId }, optionally with host and type" })
        .min(1, "vms must name at least one VM: the group rolls them back in this order"),
    /** The name of every checkpoint of the group, 1 to 100 characters; defaults to the resource name. Renamed in place. */
    name: checkpointNameSchema.optional(),
    /** Any string. Changing it rolls every VM back to its checkpoint, in the order of `vms`. */
    restoreTrigger: z.string({ message: "restoreTrigger must be a string (any value; change it to roll every VM of the group back)" }).optional(),
    /** Start the VMs after a rollback, in `startOrder` (default false). */
    startAfterRestore: z.boolean({ message: "startAfterRestore must be true or false" }).optional(),
    /** "reverse" (default: the last VM of `vms` starts first, e.g. database, app, web) or "declared". */
    startOrder: startOrderSchema.optional(),
    /**
     * Pause the group's running VMs (Suspend-VM) while the checkpoints are taken, and resume them
     * (Resume-VM) right after, so the group is crash-consistent as a whole. For standard
     * checkpoints: a production checkpoint needs a running guest, so a paused VM falls back to
     * standard, and a productionOnly VM is refused before anything is paused.
     */
    simultaneous: z.boolean({ message: "simultaneous must be true or false" }).optional(),
    /**
     * The take limits for every VM of the group (each VM's policyLimits for what is unset here): a
     * VM whose take would break them refuses the whole group before anything is taken.
     */
    ...takeLimitFields,
};

export const groupInputsSchema = z
    .object({
        ...groupFields,
        /** Set by the SDK (pulumi.createUrn), so that the provider's warnings show on this resource. */
        resourceUrn: z.string().optional(),
    })
    .superRefine((value, ctx) => {
        if (value.name === undefined) ctx.addIssue({ code: "custom", path: ["name"], message: "name the group's checkpoints (1 to 100 characters)" });
        const seen = new Map<string, number>();
        value.vms.forEach((m, i) => {
            if (m.vmName === undefined && m.vmId === undefined) return;
            const first = seen.get(memberKey(m));
            if (first !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["vms", i],
                    message: `vms[${i}] names the same VM as vms[${first}]: a group takes one checkpoint per VM, remove one of them`,
                });
            } else seen.set(memberKey(m), i);
        });
    });
export type GroupInputs = z.infer<typeof groupInputsSchema>;

/** What the group holds on one VM, recorded when it was taken and refreshed from the host. */
export const groupMemberOutputSchema = z.object({
    vmId: guidSchema,
    vmName: z.string(),
    host: z.string().optional(),
    checkpointId: guidSchema,
    /** The checkpoint's name as last read from the host (renamed out of band: differs from `name`). */
    checkpointName: z.string(),
    /** False when the last refresh found the checkpoint (or its VM) gone: the next `up` replaces the group. */
    present: z.boolean(),
    /** What Hyper-V made ("unknown": imported without memory state, see Checkpoint's kind). */
    kind: z.union([checkpointKindSchema, z.literal("unknown")]),
    /** A production checkpoint was asked for and Hyper-V fell back to a standard one (null: unknown, imported). */
    fellBack: z.boolean().nullable(),
    holdsMemory: z.boolean(),
    vmStateAtCreation: vmStateSchema,
    creationTime: z.string(),
    /** The group's checkpoint of this VM on disk (its files, depth, age), as for a Checkpoint. */
    ...checkpointDiskShape,
    /** The VM's checkpoints on disk (bytes held, deepest chain, volumes), as for a VmCheckpointPolicy. */
    ...vmDiskShape,
});
export type GroupMemberOutput = z.infer<typeof groupMemberOutputSchema>;

/** What a CheckpointGroup reports (its outputs in the SDK). */
export const groupResultShape = {
    /** One per VM of `vms`, in that order. */
    members: z.array(groupMemberOutputSchema),
    lastRestoreTime: z.string().nullable(),
    /** What the last rollback did, in order, e.g. "rolled back web01, app01, db01; started db01, app01, web01". */
    lastRestoreResult: z.string().nullable(),
};

export const groupOutputsSchema = z.object({
    vms: z.array(groupMemberSchema),
    name: z.string(),
    restoreTrigger: z.string().optional(),
    startAfterRestore: z.boolean().optional(),
    startOrder: startOrderSchema.optional(),
    simultaneous: z.boolean().optional(),
    minFreeSpace: takeLimitFields.minFreeSpace,
    maxChainDepth: takeLimitFields.maxChainDepth,
    resourceUrn: z.string().optional(),
    ...groupResultShape,
});
export type GroupOutputs = z.infer<typeof groupOutputsSchema>;
