import * as fs from "node:fs";
import * as path from "node:path";
import { buildSchema } from "./build";
import { readDocComments } from "./doc-comments";

/** The repository root, from the compiled file (dist/tools/schema) or the source (tools/schema). */
const root = [path.join(__dirname, "..", ".."), path.join(__dirname, "..", "..", "..")].find((d) => fs.existsSync(path.join(d, "provider", "config.ts")))!;

/** Where the shapes and their doc comments are written. */
const SOURCES = [
    "provider/config.ts",
    "provider/resources/shared/vm-target.ts",
    "provider/resources/shared/disk-outputs.ts",
    "provider/resources/policy/schema.ts",
    "provider/resources/checkpoint/schema.ts",
    "provider/resources/group/schema.ts",
];

export const SCHEMA_FILE = path.join(root, "provider", "native", "schema.json");

/** The schema as the code says it now, as the file should hold it. */
export function generatedSchemaText(): string {
    return `${JSON.stringify(buildSchema(readDocComments(SOURCES.map((f) => path.join(root, f)))), null, 2)}\n`;
}

if (require.main === module) {
    fs.writeFileSync(SCHEMA_FILE, generatedSchemaText());
    console.log(`wrote ${path.relative(root, SCHEMA_FILE)}`);
}
