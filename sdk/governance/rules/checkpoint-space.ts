import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { declaredResources, describeVm } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const CHECKPOINT_SPACE_RULE = "hyperv-max-checkpoint-space";

const configSchema = z.object({
    maxPercentOfVolume: z.number().positive().max(100).describe("The share of a volume (percent) a VM's checkpoints may hold."),
});
export type CheckpointSpaceConfig = z.infer<typeof configSchema>;

const defaults: CheckpointSpaceConfig = { maxPercentOfVolume: 20 };

/**
 * A VM whose checkpoints hold more than `maxPercentOfVolume` of a volume it uses is flagged: a
 * volume that fills pauses the VM (PausedCritical). Judged on a policy's `checkpointBytes` against
 * the smallest of its `volumes` (the one it fills first), so policies not created yet are skipped.
 */
export function maxCheckpointSpace(options: RuleOptions<CheckpointSpaceConfig> = {}): StackValidationPolicy {
    const config = new RuleConfig(CHECKPOINT_SPACE_RULE, configSchema, defaults, options.config);
    return {
        name: CHECKPOINT_SPACE_RULE,
        description: "VMs whose checkpoints hold more than a share of a volume are flagged: a full volume pauses the VM.",
        enforcementLevel: options.enforcementLevel ?? "advisory",
        configSchema: config.jsonSchema(),
        validateStack: (args, reportViolation) => {
            const { maxPercentOfVolume } = config.read(args);
            for (const r of declaredResources(args.resources)) {
                if (r.kind !== "policy" || r.props.checkpointBytes === undefined || !r.props.volumes?.length) continue;
                const bytes = r.props.checkpointBytes;
                const smallest = [...r.props.volumes].sort((a, b) => a.capacity - b.capacity)[0]!;
                const percent = (bytes / smallest.capacity) * 100;
                if (percent <= maxPercentOfVolume) continue;
                reportViolation(
                    `VM ${describeVm(r.vm)}'s checkpoints hold ${bytes} bytes, ${percent.toFixed(1)}% of volume ${smallest.name} ` +
                        `(${smallest.freeSpace} of ${smallest.capacity} bytes free; the limit is ${maxPercentOfVolume}%): a volume that fills pauses the VM. ` +
                        "Delete old checkpoints (Hyper-V merges their disks), or raise maxPercentOfVolume.",
                    r.urn,
                );
            }
        },
    };
}
