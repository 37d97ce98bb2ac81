import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { DEPENDS_ON, PREVIEW_FLAG } from "../provider/resources/shared/preview";
import { type ProviderModule, serialisedProvider } from "../provider/resources/shared/serialised-provider";
import { unsetOutputs } from "./outputs";
import { quietRegistration } from "./registration";

/** What a resource class hands to `pulumi.CustomResource`'s constructor. */
export type CustomResourceArgs = [type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined];

/**
 * What the package's resources share, for each class to pass to `super(...registration.args)`:
 * - they are dynamic resources, registered as `pulumi.dynamic.Resource` registers them but with a
 *   short `__provider` (provider/resources/shared/serialised-provider.ts);
 * - each class extends `pulumi.CustomResource` itself, as Pulumi's generated SDKs do: Pulumi records
 *   where a resource was declared by skipping four frames of its own constructors, so the state's
 *   `sourcePosition` is then the program's line, and the recorded stack trace holds no frames of
 *   this package (an extra base class between them put both inside this package);
 * - they register without Pulumi's promise stacks (registration.ts): stack capture is off from
 *   here until the class calls `restore` (or `withStack` on an error);
 * - each tells its provider where to show warnings and whether it runs in a preview.
 *
 * `outputs`: the provider's shape of what the resource reports, each registered unset for the engine to fill.
 */
export function dynamicRegistration(
    provider: ProviderModule,
    type: "VmCheckpointPolicy" | "Checkpoint" | "CheckpointGroup",
    name: string,
    outputs: z.ZodRawShape,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
): ReturnType<typeof quietRegistration> & { args: CustomResourceArgs } {
    const registration = quietRegistration();
    try {
        const inputs: pulumi.Inputs = {
            ...unsetOutputs(outputs),
            ...props,
            // Where the provider shows its warnings about this resource (the engine gives a dynamic provider no URN).
            resourceUrn: pulumi.createUrn(name, `pulumi-nodejs:dynamic/hyperv:${type}`, opts?.parent),
            // Tells the provider's check it runs in a preview, where it predicts what the host will refuse; check drops it.
            // Left out of `up` (check reads it as false): every key a resource registers is kept in its state.
            [PREVIEW_FLAG]: pulumi.runtime.isDryRun() || undefined,
            // What this resource dependsOn, which check cannot see otherwise (see provider/resources/shared/preview.ts); check drops it.
            [DEPENDS_ON]: dependencyUrns(opts?.dependsOn),
            // What the engine's Node.js provider host runs for this resource.
            __provider: serialisedProvider(provider),
        };
        return { ...registration, args: [`pulumi-nodejs:dynamic/hyperv:${type}`, name, inputs, opts] };
    } catch (e) {
        throw registration.withStack(e);
    }
}

/**
 * The URNs of the resources `dependsOn` names directly, or nothing when it names none. A promise or
 * output of resources is left out: the engine still orders by it, but the provider cannot know, so
 * preview stays cautious. The URNs travel as a promise, not an output: the engine already records
 * these resources as the resource's dependencies, and an output would record them again in the
 * state's propertyDependencies (rewritten after every step of an `up` or `destroy`).
 */
function dependencyUrns(dependsOn: pulumi.CustomResourceOptions["dependsOn"]): Promise<string[]> | undefined {
    const listed: unknown[] = dependsOn === undefined ? [] : Array.isArray(dependsOn) ? dependsOn : [dependsOn];
    const resources = listed.filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d));
    if (resources.length === 0) return undefined;
    // A resource's URN is known from its registration on, in preview too, so this apply always runs.
    return new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
}
