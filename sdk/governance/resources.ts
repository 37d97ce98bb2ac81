import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { z } from "zod";
import { checkpointOutputsSchema } from "../../provider/resources/checkpoint/schema";
import { groupMemberOutputSchema, groupMemberSchema } from "../../provider/resources/group/schema";
import { policyOutputsSchema } from "../../provider/resources/policy/schema";

/*
 * Every dynamic resource of every Pulumi program has a type token starting with
 * `pulumi-nodejs:dynamic`; only the module and type after it, which sdk/resource.ts registers
 * ("hyperv", "VmCheckpointPolicy" / "Checkpoint" / "CheckpointGroup"), say that a resource is one of ours. Rules compare the full token, never a prefix, so they never
 * judge another package's dynamic resources. (`validateResourceOfType` cannot help: dynamic resource
 * classes carry no static type token for @pulumi/policy to read.)
 */
export const POLICY_TYPE = "pulumi-nodejs:dynamic/hyperv:VmCheckpointPolicy";
export const CHECKPOINT_TYPE = "pulumi-nodejs:dynamic/hyperv:Checkpoint";
export const GROUP_TYPE = "pulumi-nodejs:dynamic/hyperv:CheckpointGroup";

/*
 * What the rules read of each resource, derived from the provider's own schemas and made lenient:
 * every field may be absent, because a resource being validated may be a plan (inputs only) or a
 * preview (values not known yet are left out, see knownFields).
 */
const policyView = policyOutputsSchema
    .pick({
        vmName: true,
        vmId: true,
        host: true,
        vmNameDeclared: true,
        type: true,
        fallbackToStandard: true,
        disabled: true,
        fileLocation: true,
        ensureBackupIntegration: true,
        checkpointBytes: true,
        deepestChain: true,
        volumes: true,
        allowLocalFileLocation: true,
    })
    .partial();
export type PolicyView = z.infer<typeof policyView>;

const checkpointView = checkpointOutputsSchema
    .pick({
        vmName: true,
        vmId: true,
        host: true,
        vmNameDeclared: true,
        name: true,
        checkpointName: true,
        type: true,
        adoptId: true,
        creationTime: true,
        chainDepth: true,
    })
    .partial();
export type CheckpointView = z.infer<typeof checkpointView>;

/** A group, for the rules: the declared VMs and, once created, what it holds on each. */
const groupView = z
    .object({
        name: z.string(),
        vms: z.array(groupMemberSchema),
        members: z.array(groupMemberOutputSchema.pick({ vmId: true, vmName: true, creationTime: true, chainDepth: true })),
    })
    .partial();

/** The VM a resource names: by id, by name, or both once the provider has read it. */
export interface VmRef {
    /** The host address the resource declares; "" for the stack's `hyperv:host`. */
    host: string;
    id?: string;
    name?: string;
}

interface Declared<K extends string, P> {
    kind: K;
    /** The resource's name in the program. */
    name: string;
    urn: string;
    vm: VmRef;
    props: P;
}
export type DeclaredPolicy = Declared<"policy", PolicyView>;
/**
 * A checkpoint the stack declares: a Checkpoint, or one VM's checkpoint of a CheckpointGroup
 * (rules judge those one by one, as if declared alone). `label` names the resource in messages.
 */
export type DeclaredCheckpoint = Declared<"checkpoint", CheckpointView> & { label: string; inGroup: boolean };
export type DeclaredResource = DeclaredPolicy | DeclaredCheckpoint;

/** A resource as the engine hands it to a rule (validateResource args, or one of validateStack's resources). */
type EngineResource = Pick<ResourceValidationArgs | PolicyResource, "type" | "name" | "urn" | "props">;

/**
 * One of our resources, parsed; undefined for anything else, and for props the provider's own
 * check would refuse anyway (it explains the problem better than a policy could).
 */
export function declaredResource(resource: EngineResource): DeclaredResource | undefined {
    if (resource.type === POLICY_TYPE) {
        const parsed = policyView.safeParse(knownFields(resource.props, Object.keys(policyView.shape)));
        if (!parsed.success) return undefined;
        return { kind: "policy", name: resource.name, urn: resource.urn, vm: vmRefOf(parsed.data), props: parsed.data };
    }
    if (resource.type === CHECKPOINT_TYPE) {
        const parsed = checkpointView.safeParse(knownFields(resource.props, Object.keys(checkpointView.shape)));
        if (!parsed.success) return undefined;
        return {
            kind: "checkpoint",
            name: resource.name,
            urn: resource.urn,
            vm: vmRefOf(parsed.data),
            props: parsed.data,
            label: `Checkpoint "${resource.name}"`,
            inGroup: false,
        };
    }
    return undefined;
}

/** Every declaration one engine resource makes: a group declares one checkpoint per VM. */
export function declaredResourcesOf(resource: EngineResource): DeclaredResource[] {
    if (resource.type !== GROUP_TYPE) {
        const one = declaredResource(resource);
        return one ? [one] : [];
    }
    const parsed = groupView.safeParse(knownFields(resource.props, Object.keys(groupView.shape)));
    if (!parsed.success) return [];
    const { name, vms = [], members = [] } = parsed.data;
    return vms.map((member, i): DeclaredCheckpoint => {
        const held = members[i];
        const props: CheckpointView = {
            ...(member.vmName !== undefined && { vmName: member.vmName }),
            ...((member.vmId ?? held?.vmId) !== undefined && { vmId: member.vmId ?? held?.vmId }),
            ...(member.host !== undefined && { host: member.host }),
            ...(name !== undefined && { name }),
            ...(member.type !== undefined && { type: member.type }),
            ...(held && { creationTime: held.creationTime }),
            ...(held?.chainDepth !== undefined && { chainDepth: held.chainDepth }),
        };
        const vm = vmRefOf({ ...props, vmName: member.vmName ?? held?.vmName });
        return {
            kind: "checkpoint",
            name: resource.name,
            urn: resource.urn,
            vm,
            props,
            label: `CheckpointGroup "${resource.name}"'s checkpoint`,
            inGroup: true,
        };
    });
}

export function declaredResources(resources: readonly EngineResource[]): DeclaredResource[] {
    return resources.flatMap(declaredResourcesOf);
}

function vmRefOf(p: { host?: string | undefined; vmId?: string | undefined; vmName?: string | undefined; vmNameDeclared?: string | undefined }): VmRef {
    const name = p.vmName ?? p.vmNameDeclared;
    return { host: p.host ?? "", ...(p.vmId !== undefined && { id: p.vmId }), ...(name !== undefined && { name }) };
}

/**
 * The given fields of a resource's props that are known. During preview @pulumi/policy wraps props
 * in a proxy that throws UnknownValueError on a value not known yet (an output of another resource);
 * such a field is left out, so rules judge what is known and skip the rest instead of failing.
 * The error is recognised by its class name: a pack may load its own copy of @pulumi/policy.
 */
export function knownFields(props: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
    const known: Record<string, unknown> = {};
    for (const field of fields) {
        try {
            const value = props[field];
            if (value !== undefined) known[field] = value;
        } catch (err) {
            if (!(err instanceof Error && err.constructor.name === "UnknownValueError")) throw err;
        }
    }
    return known;
}

/** How messages name a VM: `"web01"`, or `id 6c1c...` when only the id is known. */
export function describeVm(vm: VmRef): string {
    const where = vm.host ? ` on ${vm.host}` : "";
    if (vm.name !== undefined) return `"${vm.name}"${where}`;
    if (vm.id !== undefined) return `with id ${vm.id}${where}`;
    return `(not known yet)${where}`;
}

/**
 * Groups resources by the VM they name. Names are case-insensitive on Hyper-V but not unique; ids
 * are. A resource declared by name joins the group of the VM id that another resource of the stack
 * has already resolved that name to (its outputs hold both), as long as the name is not ambiguous.
 */
export class VmIndex {
    private readonly idsByName = new Map<string, Set<string>>();

    constructor(resources: readonly DeclaredResource[]) {
        for (const { vm } of resources) {
            if (vm.id === undefined || vm.name === undefined) continue;
            const key = nameKey(vm.host, vm.name);
            const ids = this.idsByName.get(key) ?? new Set<string>();
            ids.add(vm.id.toLowerCase());
            this.idsByName.set(key, ids);
        }
    }

    /** A key equal for every resource naming the same VM; undefined when the VM is not known yet. */
    keyOf(vm: VmRef): string | undefined {
        if (vm.id !== undefined) return idKey(vm.host, vm.id);
        if (vm.name === undefined) return undefined;
        const ids = this.idsByName.get(nameKey(vm.host, vm.name));
        if (ids?.size === 1) return idKey(vm.host, [...ids][0]!);
        return nameKey(vm.host, vm.name);
    }
}

function idKey(host: string, id: string): string {
    return `${host.toLowerCase()}|id:${id.toLowerCase()}`;
}

function nameKey(host: string, name: string): string {
    return `${host.toLowerCase()}|name:${name.toLowerCase()}`;
}
