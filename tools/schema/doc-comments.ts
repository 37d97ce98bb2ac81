import * as fs from "node:fs";
import * as ts from "typescript";

/*
 * The doc comments of the zod shapes, read from their TypeScript source: zod keeps no comments at
 * run time, and the comments are what the SDK's editors show, so the schema's descriptions come
 * from the same words. Keyed "<const>.<property>", the const being the nearest variable the
 * property is written in (vmTargetShape.vmName, groupMemberOutputSchema.present).
 */

export type DocComments = ReadonlyMap<string, string>;

export function readDocComments(files: readonly string[]): DocComments {
    const docs = new Map<string, string>();
    for (const file of files) {
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2023, true);
        const visit = (node: ts.Node): void => {
            if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
                const owner = enclosingVariable(node);
                const text = docOf(node);
                if (owner && text) docs.set(`${owner}.${node.name.text}`, text);
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return docs;
}

function enclosingVariable(node: ts.Node): string | undefined {
    for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
        if (ts.isVariableDeclaration(at) && ts.isIdentifier(at.name)) return at.name.text;
    }
    return undefined;
}

/** The JSDoc text of a property, on one line (Pulumi's descriptions are Markdown: line breaks in a paragraph mean nothing). */
function docOf(node: ts.Node): string | undefined {
    const jsDoc = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
    const last = jsDoc?.[jsDoc.length - 1];
    if (!last?.comment) return undefined;
    const text = typeof last.comment === "string" ? last.comment : last.comment.map((c) => c.text).join("");
    return text.replace(/\s*\n\s*/g, " ").trim();
}
