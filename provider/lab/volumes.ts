import * as path from "node:path";

/**
 * Where a Windows path of the simulated host lives inside the lab folder: the drive letter
 * becomes a folder under `volumes/`, so `D:\Checkpoints\web01` is `<lab>/volumes/D/Checkpoints/web01`.
 * Paths stay in Windows form everywhere the host reports them; only file I/O maps them.
 */
export function labPathOf(labFolder: string, windowsPath: string): string {
    const parsed = parseWindowsPath(windowsPath);
    if (!parsed) throw new Error(`"${windowsPath}" is not an absolute Windows path such as D:\\Checkpoints\\web01`);
    return path.join(labFolder, "volumes", parsed.drive, ...parsed.segments);
}

export function isWindowsPath(candidate: string): boolean {
    return parseWindowsPath(candidate) !== null;
}

function parseWindowsPath(p: string): { drive: string; segments: string[] } | null {
    const match = /^([A-Za-z]):[\\/](.*)$/.exec(p);
    if (!match) return null;
    const segments = (match[2] ?? "").split(/[\\/]+/).filter((s) => s.length > 0);
    // Windows refuses these in a file or folder name.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse them
    if (segments.some((s) => s === "." || s === ".." || /[<>:"|?*\u0000-\u001f]/.test(s))) return null;
    return { drive: (match[1] ?? "").toUpperCase(), segments };
}

/** Joins Windows path segments with backslashes. */
export function windowsJoin(folder: string, name: string): string {
    return `${folder.replace(/[\\/]+$/, "")}\\${name}`;
}

export function windowsDirname(p: string): string {
    const i = p.lastIndexOf("\\");
    return i < 0 ? p : p.slice(0, i);
}

export function windowsBasename(p: string): string {
    return p.slice(p.lastIndexOf("\\") + 1);
}
