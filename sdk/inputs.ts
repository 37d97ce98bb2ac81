import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * A resource's arguments from the provider's zod shape of what a program declares: every field
 * optional, each a Pulumi input (a value, a promise or another resource's output). The mapping
 * keeps each field's doc comment, so the shape is the one place the fields are described.
 */
export type InputsOf<Shape extends z.ZodRawShape> = { [Field in keyof Shape]?: pulumi.Input<Exclude<z.input<Shape[Field]>, undefined>> };
