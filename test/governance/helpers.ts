import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { CHECKPOINT_TYPE, GROUP_TYPE, POLICY_TYPE } from "../../sdk/governance";

/** The sentinel @pulumi/policy puts in place of a string not known during preview (Pulumi's own). */
export { unknownValue as UNKNOWN_STRING } from "@pulumi/pulumi/runtime/rpc";

export interface Resource {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

export const policy = (name: string, props: Record<string, unknown>): Resource => ({ type: POLICY_TYPE, name, props });
export const checkpoint = (name: string, props: Record<string, unknown>): Resource => ({ type: CHECKPOINT_TYPE, name, props });
export const group = (name: string, props: Record<string, unknown>): Resource => ({ type: GROUP_TYPE, name, props });

export const urnOf = (r: Resource, stack = "dev") => `urn:pulumi:${stack}::infra::${r.type}::${r.name}`;

export interface RunOptions {
    stack?: string;
    tags?: Record<string, string>;
    config?: object;
}

/** Runs a resource rule on one resource as the engine would; the violation messages. */
export async function validateResource(rule: ResourceValidationPolicy, r: Resource, options: RunOptions = {}): Promise<string[]> {
    const messages: string[] = [];
    const validations = [rule.validateResource].flat();
    const args = {
        type: r.type,
        name: r.name,
        urn: urnOf(r, options.stack),
        props: unknownCheckingProxy(r.props),
        stackTags: new Map(Object.entries(options.tags ?? {})),
        getConfig: () => options.config ?? {},
    } as unknown as ResourceValidationArgs;
    for (const v of validations) await v?.(args, (message) => messages.push(message));
    return messages;
}

/** Runs a stack rule on the given resources; the violations with the resource each names. */
export async function validateStack(
    rule: StackValidationPolicy,
    resources: Resource[],
    options: RunOptions = {},
): Promise<{ message: string; resource?: string }[]> {
    const found: { message: string; resource?: string }[] = [];
    const args = {
        resources: resources.map(
            (r) => ({ type: r.type, name: r.name, urn: urnOf(r, options.stack), props: unknownCheckingProxy(r.props) }) as unknown as PolicyResource,
        ),
        stackTags: new Map(Object.entries(options.tags ?? {})),
        getConfig: () => options.config ?? {},
    } as unknown as StackValidationArgs;
    await rule.validateStack(args, (message, urn) => found.push({ message, ...(urn !== undefined && { resource: urn.split("::").pop()! }) }));
    return found;
}
