import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { declaredResource, describeVm, type VmRef } from "../resources";
import { matchesAny, regexListSchema, RuleConfig, type RuleOptions } from "../rule-config";

export const SERVER_ROLES_RULE = "hyperv-server-roles-no-standard-checkpoints";

const configSchema = z.object({
    serverVmPatterns: regexListSchema("serverVmPatterns").describe(
        "Regular expressions (case-insensitive) matched against VM names: a match makes the VM a server.",
    ),
    serverVms: z.array(z.string()).describe("VM names or ids (case-insensitive) that are servers whatever their name."),
    flagProductionWithFallback: z
        .boolean()
        .describe('Also flag server VMs that may fall back to a standard checkpoint (type "production" without fallbackToStandard: false).'),
});
export type ServerRolesConfig = z.infer<typeof configSchema>;

const defaults: ServerRolesConfig = {
    serverVmPatterns: ["^(sql|dc|web|app|db|exch)"],
    serverVms: [],
    flagProductionWithFallback: false,
};

const danger =
    "applying a standard checkpoint brings back the memory state, so the guest's clock jumps back, sessions and logins are lost and application data goes inconsistent";

/**
 * Server VMs must not take standard checkpoints. A VM is a server when its name matches one of
 * `serverVmPatterns` or it is listed (by name or id) in `serverVms`. A VM declared by id only is
 * a server only through `serverVms`: its name is not known when the plan is checked.
 */
export function serverRolesNoStandardCheckpoints(options: RuleOptions<ServerRolesConfig> = {}): ResourceValidationPolicy {
    const config = new RuleConfig(SERVER_ROLES_RULE, configSchema, defaults, options.config);
    return {
        name: SERVER_ROLES_RULE,
        description: "Server VMs (SQL, domain controllers, web and app servers...) use production checkpoints, never standard ones.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: config.jsonSchema(),
        validateResource: (args, reportViolation) => {
            const resource = declaredResource(args);
            if (!resource) return;
            const settings = config.read(args);
            const why = serverReason(resource.vm, settings);
            if (!why) return;
            const vm = `server VM ${describeVm(resource.vm)} (${why})`;
            if (resource.kind === "policy") {
                const p = resource.props;
                if (p.disabled === true) return;
                if (p.type === "standard") {
                    reportViolation(
                        `VmCheckpointPolicy "${resource.name}" sets standard checkpoints on ${vm}: ${danger}. ` +
                            'Set type: "production" with fallbackToStandard: false, or disabled: true.',
                    );
                } else if (p.type === "production" && p.fallbackToStandard !== false && settings.flagProductionWithFallback) {
                    reportViolation(
                        `VmCheckpointPolicy "${resource.name}" lets ${vm} fall back to a standard checkpoint when a production one cannot be made ` +
                            `(type "production" falls back unless fallbackToStandard is false): ${danger}. Set fallbackToStandard: false.`,
                    );
                }
            } else {
                const c = resource.props;
                if (c.type === "standard") {
                    reportViolation(
                        `Checkpoint "${resource.name}" asks for a standard checkpoint of ${vm}: ${danger}. ` +
                            'Remove type (the VM\'s policy decides), or set type: "productionOnly".',
                    );
                } else if (c.type === "production" && settings.flagProductionWithFallback) {
                    reportViolation(
                        `Checkpoint "${resource.name}" asks for type "production" on ${vm}, which falls back to a standard checkpoint ` +
                            `when a production one cannot be made: ${danger}. Set type: "productionOnly".`,
                    );
                }
            }
        },
    };
}

/** Why the VM counts as a server, for the message; undefined when it does not. */
function serverReason(vm: VmRef, settings: ServerRolesConfig): string | undefined {
    const listed = settings.serverVms.find((s) => [vm.name, vm.id].some((v) => v?.toLowerCase() === s.toLowerCase()));
    if (listed !== undefined) return "listed in serverVms";
    if (vm.name === undefined) return undefined;
    const pattern = matchesAny(settings.serverVmPatterns, vm.name);
    return pattern === undefined ? undefined : `its name matches the server pattern /${pattern}/i`;
}
