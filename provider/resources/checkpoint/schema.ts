import { z } from "zod";
import { checkpointKindSchema, GUID_PATTERN, guidSchema, snapshotTypeSchema, vmStateSchema } from "../../host";
import { checkpointNameSchema, checkpointTypeArgSchema } from "../shared/checkpoint-declaration";
import { requireOneVm, vmTargetShape } from "../shared/vm-target";
import { checkpointDiskShape, takeLimitFields } from "../shared/disk-outputs";
import { policyLimitsSchema } from "../shared/take-limits";

/**
 * What a program declares for a checkpoint besides its VM. The doc comments are the SDK's: editors
 * show them on CheckpointArgs, which is derived from this shape.
 */
export const checkpointFields = {
    /** The checkpoint's name in Hyper-V, 1 to 100 characters; defaults to the resource name. Renamed in place. */
    name: checkpointNameSchema.optional(),
    /**
     * The kind of checkpoint to take, for this checkpoint only: "production" (falls back to standard
     * when production is impossible), "productionOnly" (fails instead) or "standard". Unset: the VM's
     * policy decides. A VM whose policy is Disabled is never overridden. Changing it replaces the
     * checkpoint, and the replacement captures the VM as it is *now*, not as it was.
     */
    type: checkpointTypeArgSchema.optional(),
    /**
     * Any string. Changing it on an existing checkpoint applies (restores) the checkpoint: the VM
     * rolls back to it. Leaves the VM Off after a production or disk-only checkpoint, Saved after a
     * standard checkpoint with memory.
     */
    restoreTrigger: z.string({ message: "restoreTrigger must be a string (any value; change it to apply the checkpoint)" }).optional(),
    /** Start the VM after applying the checkpoint (default false). */
    startAfterRestore: z.boolean({ message: "startAfterRestore must be true or false" }).optional(),
    /**
     * Take over an existing checkpoint by id instead of taking a new one (Pulumi's `import` does not
     * work for dynamic resources). Nothing on the host changes, unless `name` is also given.
     */
    adoptId: z
        .string()
        .pipe(
            z.string().regex(GUID_PATTERN, {
                message: "adoptId must be the GUID of an existing checkpoint (Get-VMSnapshot -VMName <vm> | Select Name, Id)",
            }),
        )
        .transform((s) => s.toLowerCase())
        .optional(),
    ...takeLimitFields,
    /**
     * The take limits of the VM's VmCheckpointPolicy (`policy.takeLimits`), for what this checkpoint
     * does not set itself (minFreeSpace, maxChainDepth). A policy's limits apply to the checkpoints
     * that pass them here, wherever the policy is declared.
     */
    policyLimits: policyLimitsSchema.optional(),
};

export const checkpointInputsSchema = z
    .object({
        ...vmTargetShape,
        ...checkpointFields,
        /** Set by the SDK (pulumi.createUrn), so that the provider's warnings show on this resource. */
        resourceUrn: z.string().optional(),
    })
    .superRefine((value, ctx) => {
        requireOneVm(value, ctx);
        if (value.name === undefined && value.adoptId === undefined) {
            ctx.addIssue({ code: "custom", path: ["name"], message: "name the checkpoint (1 to 100 characters)" });
        }
        if (value.adoptId !== undefined && value.type !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["type"],
                message: "an adopted checkpoint already exists: remove type (it only applies when taking a checkpoint)",
            });
        }
    });
export type CheckpointInputs = z.infer<typeof checkpointInputsSchema>;

/** What a Checkpoint reports (its outputs in the SDK): recorded when it was taken, refreshed from the host. */
export const checkpointResultShape = {
    vmId: guidSchema,
    /** The VM's name as last read from the host. */
    vmName: z.string(),
    /** The checkpoint's name as last read from the host. */
    checkpointName: z.string(),
    /**
     * What Hyper-V actually made: "production" or "standard" ("unknown" for an adopted checkpoint
     * without memory state). Hyper-V cannot tell them apart afterwards: this record is the only place.
     */
    kind: z.union([checkpointKindSchema, z.literal("unknown")]),
    /** A production checkpoint was asked for and Hyper-V fell back to a standard one (null: unknown). */
    fellBack: z.boolean().nullable(),
    /** The checkpoint holds memory state: applying it brings the VM back Saved, not Off. */
    holdsMemory: z.boolean(),
    vmStateAtCreation: vmStateSchema,
    snapshotType: snapshotTypeSchema,
    parentCheckpointId: z.string().nullable(),
    creationTime: z.string(),
    lastRestoreTime: z.string().nullable(),
    adopted: z.boolean(),
    /**
     * False once a refresh found the checkpoint removed outside Pulumi (its VM still there): the
     * stack keeps it, so that the next `up` can refuse a rollback to it instead of taking a new one
     * in silence, and otherwise takes it again. Unset: present (state written before it existed).
     */
    present: z.boolean().optional(),
    ...checkpointDiskShape,
};

export const checkpointOutputsSchema = z.object({
    ...vmTargetShape,
    name: z.string().optional(),
    type: checkpointTypeArgSchema.optional(),
    restoreTrigger: z.string().optional(),
    startAfterRestore: z.boolean().optional(),
    resourceUrn: z.string().optional(),
    adoptId: z.string().optional(),
    minFreeSpace: takeLimitFields.minFreeSpace,
    maxChainDepth: takeLimitFields.maxChainDepth,
    policyLimits: policyLimitsSchema.optional(),
    vmNameDeclared: z.string().optional(),
    ...checkpointResultShape,
});
export type CheckpointOutputs = z.infer<typeof checkpointOutputsSchema>;
