import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { MAX_CHECKPOINTS_PER_VM } from "../../../provider/host";
import { declaredResources, describeVm, VmIndex, type DeclaredCheckpoint } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const CHECKPOINT_COUNT_RULE = "hyperv-max-checkpoints-per-vm";

const configSchema = z.object({
    maxPerVm: z
        .number()
        .int()
        .min(1)
        .max(MAX_CHECKPOINTS_PER_VM - 1)
        .describe(
            `The most checkpoints (Checkpoint resources and CheckpointGroups including it) one VM may have in a stack (below Hyper-V's hard limit of ${MAX_CHECKPOINTS_PER_VM}).`,
        ),
});
export type CheckpointCountConfig = z.infer<typeof configSchema>;

const defaults: CheckpointCountConfig = { maxPerVm: 10 };

/**
 * At most `maxPerVm` checkpoints declared per VM in a stack, counted across all of them (a stack
 * rule: no single resource knows the others): each Checkpoint, and each CheckpointGroup including the VM. Checkpoints Hyper-V or other tools made are not
 * counted: the stack does not declare them.
 */
export function maxCheckpointsPerVm(options: RuleOptions<CheckpointCountConfig> = {}): StackValidationPolicy {
    const config = new RuleConfig(CHECKPOINT_COUNT_RULE, configSchema, defaults, options.config);
    return {
        name: CHECKPOINT_COUNT_RULE,
        description: "A VM has at most N checkpoints declared in a stack: each one adds a differencing disk to the chain.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: config.jsonSchema(),
        validateStack: (args, reportViolation) => {
            const { maxPerVm } = config.read(args);
            const resources = declaredResources(args.resources);
            const index = new VmIndex(resources);
            const byVm = new Map<string, DeclaredCheckpoint[]>();
            for (const r of resources) {
                if (r.kind !== "checkpoint") continue;
                const key = index.keyOf(r.vm);
                if (key === undefined) continue;
                byVm.set(key, [...(byVm.get(key) ?? []), r]);
            }
            for (const group of byVm.values()) {
                if (group.length <= maxPerVm) continue;
                // The engine lists resources in no promised order: sort by name for stable reports.
                const checkpoints = [...group].sort((a, b) => a.name.localeCompare(b.name));
                const vm = checkpoints.find((c) => c.vm.name !== undefined)?.vm ?? checkpoints[0]!.vm;
                reportViolation(
                    `VM ${describeVm(vm)} has ${checkpoints.length} checkpoints declared in this stack (${checkpoints.map((c) => c.name).join(", ")}), ` +
                        `more than the ${maxPerVm} allowed: every checkpoint adds a differencing disk (.avhdx) to the VM's chain ` +
                        `(Hyper-V stops at ${MAX_CHECKPOINTS_PER_VM}). Remove the ones no longer needed, or raise maxPerVm.`,
                    checkpoints[maxPerVm]!.urn,
                );
            }
        },
    };
}
