import type * as pulumi from "@pulumi/pulumi";

/*
 * The dynamic providers the engine's Node.js provider host runs. Each resource's state names one
 * of them by a `require` of its module (./policy, ./checkpoint, ./checkpoint-group; the text is
 * provider/resources/shared/serialised-provider.ts), resolved from the user's node_modules. Every
 * method requires the provider implementation by package name when it runs, in the provider
 * process. Host credentials arrive in `configure` from the stack's configuration, never through
 * these modules or the state.
 */

type Impl = "policyProvider" | "checkpointProvider" | "checkpointGroupProvider";
type Method = "check" | "diff" | "create" | "read" | "update" | "delete";

export function forward(impl: Impl): pulumi.dynamic.ResourceProvider {
    const to =
        (m: Method) =>
        (...a: unknown[]) =>
            require("hyperv-checkpoints/provider")[impl][m](...a);
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
