/**
 * PowerShell parse trees with tree-sitter-powershell. The grammar package is an ES module with
 * top-level await: it is loaded with a real dynamic import(), which tsc would otherwise turn into
 * require() in CommonJS output.
 */
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<{ default: unknown }>;

export interface SyntaxNode {
    type: string;
    text: string;
    childCount: number;
    children: SyntaxNode[];
    hasError: boolean;
}

export type ParsePowerShell = (source: string) => SyntaxNode;

export async function loadPowerShellParser(): Promise<ParsePowerShell> {
    const Parser = require("tree-sitter") as new () => { setLanguage(language: unknown): void; parse(source: string): { rootNode: SyntaxNode } };
    const language = (await importModule("tree-sitter-powershell")).default;
    const parser = new Parser();
    parser.setLanguage(language);
    // tree-sitter's default callback input reads in chunks; large scripts parse fine as one string.
    return (source) => parser.parse(source).rootNode;
}

/** Node types and leaf texts, depth first: two scripts with the same shape give the same list. */
export function flatten(node: SyntaxNode, out: string[] = []): string[] {
    if (node.childCount === 0) {
        out.push(`${node.type}:${node.text}`);
        return out;
    }
    out.push(`(${node.type}`);
    for (const child of node.children) flatten(child, out);
    out.push(")");
    return out;
}
