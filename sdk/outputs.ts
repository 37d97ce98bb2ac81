import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * A resource's outputs from the provider's zod shape of what it reports: each field a Pulumi
 * output of the type the provider records. The mapping keeps each field's doc comment, so the
 * shape is the one place the outputs are described (as InputsOf does for the arguments).
 */
export type OutputsOf<Shape extends z.ZodRawShape> = { readonly [Field in keyof Shape]: pulumi.Output<z.output<Shape[Field]>> };

/** Every output of a shape, unset: the engine reports the properties a resource was registered with. */
export function unsetOutputs(shape: z.ZodRawShape): Record<string, undefined> {
    return Object.fromEntries(Object.keys(shape).map((field) => [field, undefined]));
}
