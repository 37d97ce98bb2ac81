import type * as pulumi from "@pulumi/pulumi";

/*
 * The dynamic providers as Pulumi serialises them into each resource's state. Every method
 * requires the provider implementation by package name when it runs, in the provider process,
 * from the user's node_modules. Host credentials arrive in `configure` from the stack's
 * configuration, never through these closures.
 *
 * Each provider is the whole export of its own module (./policy, ./checkpoint, ./checkpoint-group): when the package
 * is installed in node_modules, Pulumi serialises such a value as a `require` of that module
 * (~0.3 KB) instead of its text (~2.2 KB). The serialised provider is stored twice per resource
 * and the file backend rewrites the whole state after every step, so this keeps large stacks
 * fast. From a linked checkout Pulumi serialises the forwarders by value, which works the same.
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
