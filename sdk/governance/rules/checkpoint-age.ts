import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { declaredResources, describeVm } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const CHECKPOINT_AGE_RULE = "hyperv-max-checkpoint-age";

const DAY_MS = 24 * 60 * 60 * 1000;

const configSchema = z.object({
    maxAgeDays: z.number().positive().describe("The age in days (fractions allowed) past which a checkpoint is flagged."),
});
export type CheckpointAgeConfig = z.infer<typeof configSchema>;

const defaults: CheckpointAgeConfig = { maxAgeDays: 14 };

export interface CheckpointAgeOptions extends RuleOptions<CheckpointAgeConfig> {
    /** The current time; tests pass a fixed one. */
    now?: () => Date;
}

/**
 * Checkpoints older than `maxAgeDays` are flagged: every write since a checkpoint goes to its
 * differencing disk, which grows and slows the VM. Judged on the Checkpoint's `creationTime` output,
 * so a checkpoint not taken yet (a preview of its creation) is skipped.
 */
export function maxCheckpointAge(options: CheckpointAgeOptions = {}): StackValidationPolicy {
    const config = new RuleConfig(CHECKPOINT_AGE_RULE, configSchema, defaults, options.config);
    const now = options.now ?? (() => new Date());
    return {
        name: CHECKPOINT_AGE_RULE,
        description: "Checkpoints older than a maximum age are flagged: their differencing disks grow and slow the VM.",
        enforcementLevel: options.enforcementLevel ?? "advisory",
        configSchema: config.jsonSchema(),
        validateStack: (args, reportViolation) => {
            const { maxAgeDays } = config.read(args);
            const at = now().getTime();
            for (const r of declaredResources(args.resources)) {
                if (r.kind !== "checkpoint" || r.props.creationTime === undefined) continue;
                const created = Date.parse(r.props.creationTime);
                if (Number.isNaN(created)) continue;
                const ageDays = (at - created) / DAY_MS;
                if (ageDays <= maxAgeDays) continue;
                reportViolation(
                    `${r.label} of VM ${describeVm(r.vm)} was taken ${new Date(created).toISOString()}, ${formatDays(ageDays)} ago ` +
                        `(the limit is ${maxAgeDays} days): every write since then goes to its differencing disk (.avhdx), which grows and slows the VM. ` +
                        "Delete it (remove the resource: Hyper-V merges its disk into the parent), or raise maxAgeDays.",
                    r.urn,
                );
            }
        },
    };
}

function formatDays(days: number): string {
    if (days >= 2) return `${Math.floor(days)} days`;
    const hours = days * 24;
    return hours >= 2 ? `${Math.floor(hours)} hours` : `${Math.round(hours * 60)} minutes`;
}
