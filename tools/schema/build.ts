import { z } from "zod";
import { SECRET_SETTINGS, stackConfigSchema } from "../../provider/config";
import { checkpointFields, checkpointResultShape } from "../../provider/resources/checkpoint/schema";
import { groupFields, groupMemberOutputSchema, groupMemberShape, groupResultShape } from "../../provider/resources/group/schema";
import { policyFields, policyResultShape } from "../../provider/resources/policy/schema";
import { vmTargetShape } from "../../provider/resources/shared/vm-target";
import { policyLimitsSchema } from "../../provider/resources/shared/take-limits";
import { NATIVE_TYPES, PACKAGE } from "../../provider/native/tokens";
import type { DocComments } from "./doc-comments";

/*
 * The native plugin's Pulumi package schema, generated from the zod shapes the resources validate
 * with (types, enums, required fields, defaults) and their doc comments (descriptions). Never
 * edited by hand: `npm run schema` writes provider/native/schema.json, and a test fails when the
 * file and the shapes disagree.
 */

type Json = Record<string, unknown>;

/** Where a field's doc comment is: the consts its shape is written in, searched in order. */
interface Shape {
    shape: z.ZodRawShape;
    docs: readonly string[];
}

interface ResourceSpec {
    description: string;
    inputs: Shape;
    outputs: Shape;
    /** Inputs a declaration must give (the rest are optional or default, or one of a choice such as vmName/vmId). */
    required: readonly string[];
    /** Object types inside a field, by field name: the type's name and its shape. */
    objects: Record<string, { name: string; shape: Shape }>;
}

const target = { ...vmTargetShape };

const RESOURCES: Record<keyof typeof NATIVE_TYPES, ResourceSpec> = {
    VmCheckpointPolicy: {
        description: "How a Hyper-V VM takes checkpoints: the type, whether checkpoints are allowed, where their files go. Destroy puts the VM's settings back as they were.",
        inputs: { shape: { ...target, ...policyFields }, docs: ["vmTargetShape", "policyFields", "takeLimitFields"] },
        outputs: { shape: policyResultShape, docs: ["policyResultShape", "settingsSchema"] },
        required: [],
        objects: { priorSettings: { name: "PolicySettings", shape: { shape: {}, docs: ["settingsSchema"] } } },
    },
    Checkpoint: {
        description: "A checkpoint of a Hyper-V VM. Declaring it takes it; renaming renames it; a new restoreTrigger applies it; destroying it removes it (merging its disks).",
        inputs: { shape: { ...target, ...checkpointFields }, docs: ["vmTargetShape", "checkpointFields", "takeLimitFields"] },
        outputs: { shape: checkpointResultShape, docs: ["checkpointResultShape"] },
        required: [],
        objects: { policyLimits: { name: "PolicyLimits", shape: { shape: policyLimitsSchema.shape, docs: ["takeLimitFields"] } } },
    },
    CheckpointGroup: {
        description: "One checkpoint on each of several VMs, taken together and rolled back together in a declared order.",
        inputs: { shape: groupFields, docs: ["groupFields", "takeLimitFields"] },
        outputs: { shape: groupResultShape, docs: ["groupResultShape"] },
        required: ["vms"],
        objects: {
            vms: { name: "CheckpointGroupVm", shape: { shape: groupMemberShape, docs: ["groupMemberShape", "vmTargetShape"] } },
            members: { name: "CheckpointGroupMember", shape: { shape: groupMemberOutputSchema.shape, docs: ["groupMemberOutputSchema"] } },
        },
    },
};

const token = (name: string) => `${PACKAGE}:index:${name}`;
const ref = (name: string) => ({ $ref: `#/types/${token(name)}` });
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

class SchemaBuilder {
    readonly types: Record<string, Json> = {};
    constructor(private readonly docs: DocComments) {}

    describe(field: string, shape: Shape): string | undefined {
        for (const owner of shape.docs) {
            const text = this.docs.get(`${owner}.${field}`);
            if (text) return text;
        }
        return undefined;
    }

    /** One property from a field's JSON Schema (zod's, input side); `typeName` names an enum or object type it needs. */
    property(json: Json, typeName: string, objectShape: Shape | undefined, input: boolean): Json {
        const types = Array.isArray(json.type) ? (json.type as string[]).filter((t) => t !== "null") : json.type;
        const type = Array.isArray(types) ? types[0] : types;
        if (json.anyOf) {
            const options = (json.anyOf as Json[]).filter((o) => o.type !== "null");
            const enums = options.flatMap((o) => (o.enum as string[] | undefined) ?? (o.const !== undefined ? [o.const as string] : []));
            if (enums.length === options.length) return this.property({ type: "string", enum: enums }, typeName, objectShape, input);
            if (options.length === 1) return this.property(options[0]!, typeName, objectShape, input);
            // A value of several kinds (minFreeSpace: bytes, or "10%"): Pulumi's union type, so that YAML accepts each kind.
            const kinds = [...new Map(options.map((o) => this.property(o, typeName, objectShape, input)).map((k) => [JSON.stringify(k), k])).values()];
            return kinds.length === 1 ? kinds[0]! : { oneOf: kinds };
        }
        if (json.enum) {
            const values = (json.enum as unknown[]).filter((v) => v !== null);
            if (!input) return { type: "string" };
            this.types[token(typeName)] = { type: "string", enum: values.map((value) => ({ value })) };
            return ref(typeName);
        }
        if (type === "array") return { type: "array", items: this.property(json.items as Json, typeName, objectShape, input) };
        if (type === "object" && objectShape) {
            this.objectType(typeName, json, objectShape, input);
            return ref(typeName);
        }
        if (type === "object") return { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } };
        if (typeof type !== "string") throw new Error(`no Pulumi type for ${JSON.stringify(json)} (${typeName})`);
        return { type };
    }

    objectType(name: string, json: Json, shape: Shape, input: boolean): void {
        const properties: Record<string, Json> = {};
        for (const [field, schema] of Object.entries(json.properties as Record<string, Json>)) {
            properties[field] = this.withMeta(this.property(schema, `${name}${upperFirst(field)}`, undefined, input), schema, this.describe(field, shape));
        }
        this.types[token(name)] = { type: "object", properties, required: input ? [] : ((json.required as string[] | undefined) ?? []) };
    }

    withMeta(property: Json, json: Json, description: string | undefined): Json {
        return { ...property, ...(description ? { description } : {}), ...(json.default !== undefined ? { default: json.default } : {}) };
    }

    /** The properties of a shape, with the required ones (every field whose zod type is not optional). */
    properties(resource: string, spec: ResourceSpec, which: "inputs" | "outputs"): { properties: Record<string, Json>; required: string[] } {
        const shape = spec[which];
        const json = z.toJSONSchema(z.object(shape.shape), { io: "input", unrepresentable: "any" }) as Json;
        const properties: Record<string, Json> = {};
        for (const [field, schema] of Object.entries(json.properties as Record<string, Json>)) {
            const object = spec.objects[field];
            const typeName = object?.name ?? `${resource}${upperFirst(field)}`;
            properties[field] = this.withMeta(this.property(schema, typeName, object?.shape, which === "inputs"), schema, this.describe(field, shape));
        }
        const required = which === "inputs" ? [...spec.required] : ((json.required as string[] | undefined) ?? []);
        return { properties, required };
    }
}

/** The whole package schema, given the shapes' doc comments. */
export function buildSchema(docs: DocComments): Json {
    const builder = new SchemaBuilder(docs);
    const resources: Record<string, Json> = {};
    for (const [name, spec] of Object.entries(RESOURCES)) {
        const inputs = builder.properties(name, spec, "inputs");
        const outputs = builder.properties(name, spec, "outputs");
        resources[token(name)] = {
            description: spec.description,
            inputProperties: inputs.properties,
            requiredInputs: inputs.required,
            // What a resource reports: its declaration and what the host says.
            properties: { ...inputs.properties, ...outputs.properties },
            required: outputs.required,
        };
    }
    const configShape: Shape = { shape: stackConfigSchema.shape, docs: ["stackConfigSchema"] };
    const configJson = z.toJSONSchema(stackConfigSchema, { io: "input", unrepresentable: "any" }) as Json;
    const variables: Record<string, Json> = {};
    for (const [field, schema] of Object.entries(configJson.properties as Record<string, Json>)) {
        // Config values reach the provider as text and are validated there; enums stay plain strings so the engine passes any value on to that check.
        const type = schema.type === "number" || schema.type === "integer" ? (schema.type as string) : "string";
        variables[field] = {
            ...builder.withMeta({ type }, schema, builder.describe(field, configShape)),
            ...(SECRET_SETTINGS.has(field) ? { secret: true } : {}),
        };
    }
    return {
        name: PACKAGE,
        displayName: "Hyper-V checkpoints",
        description: "Hyper-V checkpoint policy, checkpoints and checkpoint groups, on a real host (PowerShell locally, over SSH or WinRM) or an embedded simulated one.",
        keywords: ["hyper-v", "checkpoints", "kind/native"],
        license: "Apache-2.0",
        config: { variables },
        provider: { description: "The Hyper-V host and how to reach it (the hyperv:* settings).", inputProperties: variables },
        types: Object.fromEntries(Object.entries(builder.types).sort(([a], [b]) => a.localeCompare(b))),
        resources,
    };
}
