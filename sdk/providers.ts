import type * as pulumi from "@pulumi/pulumi";

/*
 * The dynamic providers as Pulumi serialises them into each resource's state. Every method
 * requires the provider implementation by package name when it runs: Pulumi serialises the
 * function text, and a `require` evaluated in the provider process resolves from the user's
 * node_modules, where this package is installed. Host credentials arrive in `configure` from the
 * stack's configuration, never through these closures.
 *
 * The serialised text is stored twice per resource (inputs and outputs) and the engine rewrites
 * the whole state on every step, so the forwarders are kept as short as they can be.
 */

type Impl = "policyProvider" | "checkpointProvider";
type Method = "check" | "diff" | "create" | "read" | "update" | "delete";

function forward(impl: Impl): pulumi.dynamic.ResourceProvider {
    const to = (m: Method) => (...a: unknown[]) => require("hyperv-checkpoints/provider")[impl][m](...a);
    return {
        configure: async (r) => require("hyperv-checkpoints/provider").configure(r.config),
        check: to("check"),
        diff: to("diff"),
        create: to("create"),
        read: to("read"),
        update: to("update"),
        delete: to("delete"),
    };
}

export const policyProvider = forward("policyProvider");
export const checkpointProvider = forward("checkpointProvider");
