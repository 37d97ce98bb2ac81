import { z } from "zod";
import { checkpointKindSchema, GUID_PATTERN, guidSchema, MAX_CHECKPOINT_NAME_LENGTH, snapshotTypeSchema, unpairedSurrogate, vmStateSchema } from "../../host";
import { requireOneVm, vmTargetShape } from "../shared/vm-target";

/** Checkpoint names: 1 to 100 characters (Hyper-V's limit), shown in Hyper-V Manager, not unique. */
export const checkpointNameSchema = z.string().superRefine((value, ctx) => {
    const fail = (why: string) => ctx.addIssue({ code: "custom", message: `name ${why}` });
    if (value.length === 0) return fail("must not be empty: give the checkpoint a name of 1 to 100 characters");
    if (value.trim().length === 0) return fail("must not be only whitespace: give it a readable name");
    // Hyper-V counts UTF-16 units: a character outside the BMP (an emoji) counts twice.
    if (value.length > MAX_CHECKPOINT_NAME_LENGTH) {
        const size =
            value.length === [...value].length
                ? `${value.length} characters`
                : `${value.length} UTF-16 units long (characters beyond the BMP, such as emoji, count twice)`;
        return fail(`is ${size}; Hyper-V allows at most ${MAX_CHECKPOINT_NAME_LENGTH}: shorten it`);
    }
    const lone = unpairedSurrogate(value);
    if (lone) return fail(`holds an unpaired UTF-16 surrogate (${lone.unit} at index ${lone.index}), which cannot reach a host as text: remove it`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse them
    if (/[\u0000-\u001f\u007f]/.test(value)) return fail("contains a control character (newline, tab, NUL...): remove it");
});

/** The per-checkpoint type: Checkpoint-VM always follows the VM's policy, so the provider switches it for the call. */
export const checkpointTypeArgSchema = z.enum(["production", "productionOnly", "standard"], {
    message: 'type must be "production", "productionOnly" or "standard"',
});
export type CheckpointTypeArg = z.infer<typeof checkpointTypeArgSchema>;

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
};

export const checkpointOutputsSchema = z.object({
    ...vmTargetShape,
    name: z.string().optional(),
    type: checkpointTypeArgSchema.optional(),
    restoreTrigger: z.string().optional(),
    startAfterRestore: z.boolean().optional(),
    resourceUrn: z.string().optional(),
    adoptId: z.string().optional(),
    vmNameDeclared: z.string().optional(),
    ...checkpointResultShape,
});
export type CheckpointOutputs = z.infer<typeof checkpointOutputsSchema>;
