import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { PREVIEW_FLAG } from "../provider/resources/shared/preview";
import { unsetOutputs } from "./outputs";
import { quietRegistration } from "./registration";

/**
 * What the package's resources share: they register without Pulumi's promise stacks (see
 * registration.ts), and each tells its provider where to show warnings and whether it runs in a
 * preview.
 */
export abstract class HyperVResource extends pulumi.dynamic.Resource {
    /** `outputs`: the provider's shape of what the resource reports, each registered unset for the engine to fill. */
    constructor(
        provider: pulumi.dynamic.ResourceProvider,
        type: "VmCheckpointPolicy" | "Checkpoint" | "CheckpointGroup",
        name: string,
        outputs: z.ZodRawShape,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
    ) {
        const registration = quietRegistration();
        try {
            super(
                provider,
                name,
                {
                    ...unsetOutputs(outputs),
                    ...props,
                    // Where the provider shows its warnings about this resource (the engine gives a dynamic provider no URN).
                    resourceUrn: pulumi.createUrn(name, `pulumi-nodejs:dynamic/hyperv:${type}`, opts?.parent),
                    // Tells the provider's check it runs in a preview, where it predicts what the host will refuse; check drops it.
                    [PREVIEW_FLAG]: pulumi.runtime.isDryRun(),
                },
                opts,
                "hyperv",
                type,
            );
        } catch (e) {
            throw registration.withStack(e);
        } finally {
            registration.restore();
        }
    }
}
