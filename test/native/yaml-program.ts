/*
 * A Pulumi YAML program on the native plugin, written from the same declaration the e2e tests'
 * TypeScript program (test/e2e/programs/declared) reads from its stack configuration, so the two
 * faces can run one story. JSON is YAML: every value is written as JSON, quoting included.
 */

export interface Declared {
    policies?: Record<string, Record<string, unknown>>;
    checkpoints?: Record<string, Record<string, unknown> & { dependsOnPolicy?: string }>;
}

export function yamlProgram(project: string, declared: Declared, aliases: Record<string, string> = {}): string {
    const lines = [
        `name: ${project}`,
        "runtime: yaml",
        "plugins:",
        "  providers:",
        "    - name: hyperv",
        "      path: ./node_modules/hyperv-checkpoints/bin",
        "resources:",
    ];
    const resource = (name: string, type: string, properties: Record<string, unknown>, dependsOn?: string) => {
        lines.push(`  ${name}:`, `    type: hyperv:index:${type}`, `    properties: ${JSON.stringify(properties)}`);
        const options = [
            ...(dependsOn ? [`      dependsOn: ["\${${dependsOn}}"]`] : []),
            ...(aliases[name] ? [`      aliases: [${JSON.stringify(aliases[name])}]`] : []),
        ];
        if (options.length > 0) lines.push("    options:", ...options);
    };
    for (const [name, args] of Object.entries(declared.policies ?? {})) resource(name, "VmCheckpointPolicy", args);
    for (const [name, { dependsOnPolicy, ...args }] of Object.entries(declared.checkpoints ?? {})) resource(name, "Checkpoint", args, dependsOnPolicy);
    return `${lines.join("\n")}\n`;
}
