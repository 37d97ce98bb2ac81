import { z } from "zod";
import { ENDPOINT_FUNCTION, MODULE_DIGEST, MODULE_FUNCTIONS, MODULE_NAME, MODULE_VERSION } from "../module/module";
import { shellProbeSchema } from "../shell-compatibility";
import { MODULE_FOLDER } from "./files";

/** What the session start of an installed endpoint reports (protocol.ts): the probe, the module, its functions. */
export const installedEndpointSchema = shellProbeSchema.extend({
    moduleVersion: z.string().nullable().optional(),
    moduleDigest: z.string().nullable().optional(),
    functions: z.array(z.string()),
});
export type InstalledEndpoint = z.infer<typeof installedEndpointSchema>;

/**
 * How to put this provider's module on the host: the files from this version of the package, the
 * module folder copied over the installed one (the .pssc files name the module, not its version).
 */
export const UPGRADE_COMMAND =
    `run \`npx hyperv-checkpoints@${MODULE_VERSION} endpoint hvcp-endpoint\` here, then on the host ` +
    `\`Copy-Item -Recurse -Force hvcp-endpoint\\${MODULE_FOLDER} 'C:\\Program Files\\PowerShell\\Modules'\` ` +
    "(and 'C:\\Program Files\\WindowsPowerShell\\Modules' for a WinRM endpoint); new sessions load it";

/**
 * Why this endpoint cannot serve this provider, and what to do; null when it can. Another version
 * first (its functions may differ too), then the functions the endpoint lacks, named.
 */
export function endpointRefusal(endpoint: InstalledEndpoint): { detail: string; hint: string } | null {
    const hasModule = endpoint.functions.includes(ENDPOINT_FUNCTION) && endpoint.moduleDigest;
    if (hasModule && endpoint.moduleDigest !== MODULE_DIGEST) {
        return {
            detail: `the endpoint runs ${MODULE_NAME} ${endpoint.moduleVersion ?? "of an unknown version"} (${endpoint.moduleDigest}), and this provider needs ${MODULE_NAME} ${MODULE_VERSION} (${MODULE_DIGEST})`,
            hint: UPGRADE_COMMAND,
        };
    }
    const missing = MODULE_FUNCTIONS.filter((name) => !endpoint.functions.includes(name));
    if (missing.length === 0) return null;
    const what =
        missing.length === MODULE_FUNCTIONS.length
            ? `the endpoint offers none of ${MODULE_NAME}'s functions (${missing.join(", ")}): the module is not installed there, or the endpoint does not import it`
            : `the endpoint lacks ${missing.length === 1 ? "the function" : "the functions"} ${missing.join(", ")} of ${MODULE_NAME}`;
    return { detail: what, hint: `install the module and make its functions visible in the endpoint's .pssc: ${UPGRADE_COMMAND}` };
}
