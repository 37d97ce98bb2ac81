// Resource names and TypeScript variable names for adopted resources, made from the host's names.

/** A resource name from a host's name: lower case letters, digits and dashes. */
export function slug(text: string): string {
    return text
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 60)
        .replace(/-+$/, "");
}

const RESERVED = new Set(
    (
        "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
        "implements import in instanceof interface let new null package private protected public return static super switch this throw true try " +
        "typeof var void while with yield await arguments eval undefined hyperv pulumi"
    ).split(" "),
);

/** A TypeScript identifier for a resource name: web01-before-iis-update → web01BeforeIisUpdate. */
export function variableOf(name: string, names: UniqueNames): string {
    const parts = name.split("-").filter(Boolean);
    let id = parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join("") || "resource";
    if (/^[0-9]/.test(id)) id = `vm${id[0]!.toUpperCase()}${id.slice(1)}`;
    if (RESERVED.has(id)) id = `${id}Resource`;
    return names.takeVariable(id);
}

export class UniqueNames {
    private readonly names = new Set<string>();
    private readonly variables = new Set<string>();

    take(base: string): string {
        return this.unique(base, this.names, (b, n) => `${b}-${n}`);
    }

    takeVariable(base: string): string {
        return this.unique(base, this.variables, (b, n) => `${b}${n}`);
    }

    private unique(base: string, taken: Set<string>, numbered: (base: string, n: number) => string): string {
        let candidate = base;
        for (let n = 2; taken.has(candidate); n++) candidate = numbered(base, n);
        taken.add(candidate);
        return candidate;
    }
}
