import { z } from "zod";
import { type CheckpointType, MAX_CHECKPOINT_NAME_LENGTH, unpairedSurrogate } from "../../host";

// What a Checkpoint and each VM of a CheckpointGroup declare alike: the checkpoint's name and type.

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

/** The declaration's checkpoint type as Hyper-V's Set-VM -CheckpointType names it. */
export const hyperVTypeOf: Record<CheckpointTypeArg, Exclude<CheckpointType, "Disabled">> = {
    production: "Production",
    productionOnly: "ProductionOnly",
    standard: "Standard",
};
