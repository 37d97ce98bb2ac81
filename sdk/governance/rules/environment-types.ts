import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { checkpointTypeSchema } from "../../../provider/host";
import { checkpointArgumentOf, checkpointOverrideType, declaredCheckpointType, orList, policyDeclarationOf } from "../checkpoint-types";
import { declaredResourcesOf, describeVm } from "../resources";
import { regexSchema, RuleConfig, type RuleOptions } from "../rule-config";

export const ENVIRONMENT_TYPES_RULE = "hyperv-environment-checkpoint-types";

const configSchema = z.object({
    environments: z
        .record(regexSchema("each key of environments must be a valid regular expression"), z.array(checkpointTypeSchema).min(1))
        .describe(
            "Regular expression (case-insensitive) matched against the environment -> the checkpoint types VMs may have there " +
                '(Disabled, Production, ProductionOnly, Standard), e.g. {"prod": ["ProductionOnly", "Disabled"]}.',
        ),
    environmentTag: z
        .string()
        .min(1)
        .describe("The stack tag naming the environment (pulumi stack tag set <tag> <value>); without it, the stack name is the environment."),
});
export type EnvironmentTypesConfig = z.infer<typeof configSchema>;

const defaults: EnvironmentTypesConfig = {
    environments: { prod: ["ProductionOnly", "Disabled"] },
    environmentTag: "environment",
};

/**
 * Each environment allows only some checkpoint types. The environment is the stack tag
 * `environmentTag` when the stack has it, else the stack's name. Policies see no stack name
 * (@pulumi/policy 1.21 passes stack tags but keeps the name to itself), so it is read from the
 * resource's URN: `urn:pulumi:<stack>::<project>::<type>::<name>`.
 */
export function environmentCheckpointTypes(options: RuleOptions<EnvironmentTypesConfig> = {}): ResourceValidationPolicy {
    const config = new RuleConfig(ENVIRONMENT_TYPES_RULE, configSchema, defaults, options.config);
    return {
        name: ENVIRONMENT_TYPES_RULE,
        description: "VMs get the checkpoint types their environment allows (e.g. production stacks: ProductionOnly or Disabled).",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: config.jsonSchema(),
        validateResource: (args, reportViolation) => {
            const declarations = declaredResourcesOf(args);
            if (declarations.length === 0) return;
            const settings = config.read(args);
            const environment = environmentOf(args.urn, args.stackTags, settings.environmentTag);
            const rules = Object.entries(settings.environments).filter(([pattern]) => new RegExp(pattern, "i").test(environment.name));
            if (rules.length === 0) return;
            // In the order the config lists them; several matching patterns must all be satisfied.
            const allowed = rules[0]![1].filter((t) => rules.every(([, types]) => types.includes(t)));
            const where = `environment "${environment.name}" (${environment.source}) allows only ${orList(allowed.length ? allowed : ["no type at all (the environment rules contradict each other)"])}`;
            // A group declares one checkpoint per VM, each with its own type: each is judged.
            for (const resource of declarations) {
                const vm = describeVm(resource.vm);
                if (resource.kind === "policy") {
                    const declared = declaredCheckpointType(resource.props);
                    if (declared !== undefined && allowed.includes(declared)) continue;
                    const what =
                        declared === undefined
                            ? `declares no checkpoint type for VM ${vm}, so the VM keeps whatever type it has (Hyper-V's default is Production)`
                            : `gives VM ${vm} the checkpoint type ${declared}`;
                    reportViolation(`VmCheckpointPolicy "${resource.name}" ${what}, but ${where}. Set ${orList(allowed.map((t) => policyDeclarationOf[t]))}.`);
                } else {
                    const override = checkpointOverrideType(resource.props);
                    if (override === undefined || allowed.includes(override)) continue;
                    const instead = allowed.map((t) => checkpointArgumentOf[t]).filter((a): a is string => a !== undefined);
                    reportViolation(
                        `${resource.label} overrides VM ${vm}'s policy with a ${override} checkpoint (type: "${resource.props.type}"), but ${where}. ` +
                            `Remove type so the VM's policy decides${instead.length ? `, or set ${orList(instead)}` : ""}.`,
                    );
                }
            }
        },
    };
}

export interface Environment {
    name: string;
    /** Where the name comes from, for messages. */
    source: string;
}

export function environmentOf(urn: string, stackTags: ReadonlyMap<string, string>, tag: string): Environment {
    const tagged = stackTags.get(tag);
    if (tagged !== undefined && tagged !== "") return { name: tagged, source: `stack tag "${tag}"` };
    return { name: stackNameOf(urn), source: "the stack's name" };
}

/** The stack name in a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackNameOf(urn: string): string {
    const prefix = "urn:pulumi:";
    return urn.startsWith(prefix) ? (urn.slice(prefix.length).split("::")[0] ?? "") : "";
}
