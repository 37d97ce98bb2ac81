/*
 * README's code, read the way a newcomer reads it: the fenced blocks of one section, in order, each
 * with the file name written in bold on the line before it ("**package.json**"), if any.
 */

export interface Fence {
    lang: string;
    body: string;
    /** The file the block is the content of, when the line before it names one in bold. */
    file?: string;
}

interface Line {
    text: string;
    inFence: boolean;
}

/** Marks the lines inside code fences, so that a `#` comment in a shell block is never taken for a heading. */
function scan(markdown: string): Line[] {
    let inFence = false;
    return markdown.split("\n").map((text) => {
        const fenceLine = /^```/.test(text);
        const line = { text, inFence: inFence || fenceLine };
        if (fenceLine) inFence = !inFence;
        return line;
    });
}

/** The lines under `heading` (e.g. "## Quickstart") up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
    const lines = scan(markdown);
    const start = lines.findIndex((l) => !l.inFence && l.text.trim() === heading);
    if (start < 0) throw new Error(`README has no section "${heading}"`);
    const level = heading.indexOf(" ");
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((l) => !l.inFence && /^#+ /.test(l.text) && l.text.indexOf(" ") <= level);
    return (end < 0 ? rest : rest.slice(0, end)).map((l) => l.text).join("\n");
}

/** The fenced code blocks of `text`, in order. */
export function fences(text: string): Fence[] {
    const result: Fence[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const open = /^```(\w*)\s*$/.exec(lines[i]!);
        if (!open) continue;
        const close = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
        if (close < 0) throw new Error(`unclosed code block at line ${i + 1}`);
        const before = lines
            .slice(0, i)
            .reverse()
            .find((l) => l.trim() !== "");
        const file = before ? /^\*\*([^*]+)\*\*$/.exec(before.trim())?.[1] : undefined;
        result.push({ lang: open[1]!, body: lines.slice(i + 1, close).join("\n"), ...(file ? { file } : {}) });
        i = close;
    }
    return result;
}

/** The commands of a shell block: every line that is neither empty nor a comment, as written. */
export function commands(fence: Fence): string[] {
    if (fence.lang !== "sh") throw new Error(`a ${fence.lang || "plain"} block is not a shell block`);
    return fence.body.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

/** The first shell block of `text`: an example README's walk-through. */
export function firstShellBlock(text: string): string[] {
    const fence = fences(text).find((f) => f.lang === "sh");
    if (!fence) throw new Error("no shell block");
    return commands(fence);
}
