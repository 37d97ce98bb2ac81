import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { declaredResources, describeVm, VmIndex, type DeclaredPolicy } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const DISABLED_VMS_RULE = "hyperv-no-checkpoints-on-disabled-vms";

const configSchema = z.object({
    allowAdopted: z
        .boolean()
        .describe("Allow adopted checkpoints (adoptId) on a disabled VM: adopting takes nothing, it only brings an existing checkpoint under management."),
});
export type DisabledVmsConfig = z.infer<typeof configSchema>;

const defaults: DisabledVmsConfig = { allowAdopted: false };

/**
 * No Checkpoint for a VM whose VmCheckpointPolicy in the same stack disables checkpoints: Hyper-V
 * refuses to take or apply it ("Checkpoints have been disabled"), and the two declarations
 * contradict each other. A stack rule: the policy and the checkpoint are separate resources.
 */
export function noCheckpointsOnDisabledVms(options: RuleOptions<DisabledVmsConfig> = {}): StackValidationPolicy {
    const config = new RuleConfig(DISABLED_VMS_RULE, configSchema, defaults, options.config);
    return {
        name: DISABLED_VMS_RULE,
        description: "No Checkpoint, and no CheckpointGroup including the VM, is declared for a VM whose declared policy disables checkpoints.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: config.jsonSchema(),
        validateStack: (args, reportViolation) => {
            const { allowAdopted } = config.read(args);
            const resources = declaredResources(args.resources);
            const index = new VmIndex(resources);
            const disabling = new Map<string, DeclaredPolicy>();
            for (const r of resources) {
                if (r.kind !== "policy" || r.props.disabled !== true) continue;
                const key = index.keyOf(r.vm);
                if (key !== undefined) disabling.set(key, r);
            }
            for (const r of resources) {
                if (r.kind !== "checkpoint" || (allowAdopted && r.props.adoptId !== undefined)) continue;
                const key = index.keyOf(r.vm);
                const policy = key === undefined ? undefined : disabling.get(key);
                if (!policy) continue;
                reportViolation(
                    `${r.label} is declared for VM ${describeVm(r.vm)}, whose VmCheckpointPolicy "${policy.name}" disables checkpoints ` +
                        `(disabled: true): Hyper-V refuses to take or apply it ("Checkpoints have been disabled"). ` +
                        `${r.inGroup ? `Take the VM out of the group's vms` : "Remove the Checkpoint"}, or set disabled: false on "${policy.name}".`,
                    r.urn,
                );
            }
        },
    };
}
