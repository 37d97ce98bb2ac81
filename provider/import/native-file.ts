import { NATIVE_TYPES } from "../native/tokens";
import type { AdoptionPlan } from "./adoption";

/*
 * The import file for the native plugin: each resource by its import id alone. The engine reads
 * each one through the plugin (which adopts it as `hyperv-import` would, see native/read-by-id)
 * and, with the plugin's schema, writes the program code itself (`pulumi import --file … --out …`).
 */

export interface NativeImportFile {
    resources: { type: string; name: string; id: string }[];
}

export function nativeImportFileOf(plan: AdoptionPlan): NativeImportFile {
    return {
        resources: plan.resources.map((r) => {
            // The VM as the user named it (by name or id): the generated code declares it the same way.
            const vm = String(r.entry.inputs.vmId ?? r.entry.inputs.vmName);
            return r.kind === "policy"
                ? { type: NATIVE_TYPES.VmCheckpointPolicy, name: r.name, id: vm }
                : { type: NATIVE_TYPES.Checkpoint, name: r.name, id: `${vm}/${r.entry.id}` };
        }),
    };
}

/** The command that imports such a file and writes the code. */
export function nativeImportCommand(importFile: string, codeFile: string, protect: boolean): string {
    const quote = (f: string) => (/^[\w./-]+$/.test(f) ? f : `'${f.replace(/'/g, "'\\''")}'`);
    return `pulumi import --file ${quote(importFile)} --out ${quote(codeFile)}${protect ? "" : " --protect=false"}`;
}
