import type * as pulumi from "@pulumi/pulumi";

/*
 * The dynamic providers as Pulumi serialises them into each resource's state. Every method
 * requires the provider implementation by package name inside its body: Pulumi serialises the
 * function text, and a `require` evaluated in the provider process resolves from the user's
 * node_modules, where this package is installed. Host credentials arrive in `configure` from the
 * stack's configuration, never through these closures.
 */

type Impl = "policyProvider" | "checkpointProvider";

function forward(impl: Impl): pulumi.dynamic.ResourceProvider {
    return {
        async configure(req) {
            require("hyperv-checkpoints/provider").configure(req.config);
        },
        async check(olds, news) {
            return require("hyperv-checkpoints/provider")[impl].check(olds, news);
        },
        async diff(id, olds, news) {
            return require("hyperv-checkpoints/provider")[impl].diff(id, olds, news);
        },
        async create(inputs) {
            return require("hyperv-checkpoints/provider")[impl].create(inputs);
        },
        async read(id, props) {
            return require("hyperv-checkpoints/provider")[impl].read(id, props);
        },
        async update(id, olds, news) {
            return require("hyperv-checkpoints/provider")[impl].update(id, olds, news);
        },
        async delete(id, props) {
            return require("hyperv-checkpoints/provider")[impl].delete(id, props);
        },
    };
}

export const policyProvider = forward("policyProvider");
export const checkpointProvider = forward("checkpointProvider");
