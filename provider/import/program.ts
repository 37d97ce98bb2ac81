import type { AdoptionPlan } from "./adoption";

/**
 * The TypeScript program that declares the adopted resources exactly as the import file states
 * them, so that after `pulumi import` the next `pulumi up` changes nothing.
 */
export function programOf(plan: AdoptionPlan, context: { importFile: string; host: string }): string {
    const lines = [
        `// Written by hyperv-import from ${context.host}: the declarations of the resources in ${context.importFile}.`,
        "// Keep them in the stack's program (import this file from index.ts, or copy them there), then adopt them with",
        `//   ${importCommand(plan, context.importFile)}`,
        "// Pulumi cannot generate code for dynamic resources, hence --generate-code=false and this file.",
        'import * as hyperv from "hyperv-checkpoints";',
        "",
    ];
    for (const r of plan.resources) {
        const cls = r.kind === "policy" ? "VmCheckpointPolicy" : "Checkpoint";
        const args = Object.entries(r.inputs)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => `    ${k}: ${JSON.stringify(v)},`);
        const options = [...(r.dependsOn ? [`dependsOn: [${r.dependsOn}]`] : []), ...(plan.protect ? ["protect: true"] : [])];
        lines.push(
            `export const ${r.variable} = new hyperv.${cls}(${JSON.stringify(r.name)}, {`,
            ...args,
            `}${options.length ? `, { ${options.join(", ")} }` : ""});`,
        );
    }
    return `${lines.join("\n")}\n`;
}

/** The command that adopts what the import file lists. */
export function importCommand(plan: AdoptionPlan, importFile: string): string {
    const file = /^[\w./-]+$/.test(importFile) ? importFile : `'${importFile.replace(/'/g, "'\\''")}'`;
    return `pulumi import --file ${file} --generate-code=false${plan.protect ? "" : " --protect=false"}`;
}
