import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { declaredResources, describeVm } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const CHAIN_DEPTH_RULE = "hyperv-max-chain-depth";

const configSchema = z.object({
    maxChainDepth: z.number().int().positive().describe("The most differencing disks a VM's chain may have."),
});
export type ChainDepthConfig = z.infer<typeof configSchema>;

const defaults: ChainDepthConfig = { maxChainDepth: 10 };

/**
 * Chains deeper than `maxChainDepth` are flagged: every read of a disk walks its chain of
 * differencing disks. Judged on the outputs that report depth (a Checkpoint's `chainDepth`, a
 * policy's `deepestChain`), so resources not created yet are skipped; `maxChainDepth` on a policy
 * or Checkpoint refuses such a take before it happens.
 */
export function maxChainDepth(options: RuleOptions<ChainDepthConfig> = {}): StackValidationPolicy {
    const config = new RuleConfig(CHAIN_DEPTH_RULE, configSchema, defaults, options.config);
    return {
        name: CHAIN_DEPTH_RULE,
        description: "VMs whose chains of differencing disks are deeper than a maximum are flagged: every disk read walks the chain.",
        enforcementLevel: options.enforcementLevel ?? "advisory",
        configSchema: config.jsonSchema(),
        validateStack: (args, reportViolation) => {
            const { maxChainDepth: limit } = config.read(args);
            for (const r of declaredResources(args.resources)) {
                const depth = r.kind === "checkpoint" ? r.props.chainDepth : r.props.deepestChain;
                if (depth === undefined || depth <= limit) continue;
                const what =
                    r.kind === "checkpoint"
                        ? `${r.label} sits at depth ${depth} of VM ${describeVm(r.vm)}'s chain of differencing disks`
                        : `VM ${describeVm(r.vm)} (policy "${r.name}") has a chain of ${depth} differencing disks`;
                reportViolation(
                    `${what} (the limit is ${limit}): ` +
                        "every read of the disk walks the chain. Delete older checkpoints (Hyper-V merges their disks), or raise maxChainDepth.",
                    r.urn,
                );
            }
        },
    };
}
