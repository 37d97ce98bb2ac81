import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { declaredResource, describeVm } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const BACKUP_INTEGRATION_RULE = "hyperv-production-ensures-backup-integration";

const configSchema = z.object({
    exemptVms: z.array(z.string()).describe("VM names or ids (case-insensitive) whose backup integration service is managed elsewhere."),
});
export type BackupIntegrationConfig = z.infer<typeof configSchema>;

const defaults: BackupIntegrationConfig = { exemptVms: [] };

/**
 * A policy that declares production checkpoints also ensures the "Backup (volume shadow copy)"
 * integration service, without which Hyper-V cannot make a production checkpoint: it silently
 * falls back to a standard one (Production) or fails (ProductionOnly).
 */
export function productionEnsuresBackupIntegration(options: RuleOptions<BackupIntegrationConfig> = {}): ResourceValidationPolicy {
    const config = new RuleConfig(BACKUP_INTEGRATION_RULE, configSchema, defaults, options.config);
    return {
        name: BACKUP_INTEGRATION_RULE,
        description: "Policies with production checkpoints ensure the backup integration service (ensureBackupIntegration: true).",
        enforcementLevel: options.enforcementLevel ?? "advisory",
        configSchema: config.jsonSchema(),
        validateResource: (args, reportViolation) => {
            const resource = declaredResource(args);
            if (resource?.kind !== "policy") return;
            const p = resource.props;
            if (p.type !== "production" || p.disabled === true || p.ensureBackupIntegration === true) return;
            const { exemptVms } = config.read(args);
            const { vm } = resource;
            if (exemptVms.some((e) => [vm.name, vm.id].some((v) => v?.toLowerCase() === e.toLowerCase()))) return;
            const without = p.fallbackToStandard === false ? "it fails" : "it falls back to a standard checkpoint";
            reportViolation(
                `VmCheckpointPolicy "${resource.name}" declares production checkpoints for VM ${describeVm(vm)} but does not ensure ` +
                    `the "Backup (volume shadow copy)" integration service they need: without it ${without}. Set ensureBackupIntegration: true.`,
            );
        },
    };
}
