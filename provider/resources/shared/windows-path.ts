import { unpairedSurrogate } from "../../host";
import { z } from "zod";

// Each segment is followed by exactly one backslash, or is the last: a pattern where a segment's
// backslash is optional (`(?:[^\\]+\\?)*`) can split "aaaa" every way and backtracks for minutes on
// a 40-character path with one bad character at its end.
const DRIVE_PATH = /^[A-Za-z]:\\(?:[^\\/:*?"<>|\r\n\0]+\\)*[^\\/:*?"<>|\r\n\0]*$/;
const UNC_PATH = /^\\\\[^\\/:*?"<>|\r\n\0]+\\[^\\/:*?"<>|\r\n\0]+(?:\\[^\\/:*?"<>|\r\n\0]+)*\\?$/;
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/**
 * An absolute Windows folder: a drive path (D:\Checkpoints) or a UNC share (\\server\share\dir).
 * Hyper-V resolves paths on the host, so relative paths, `..` and device names are refused.
 */
export function windowsFolderSchema(field: string) {
    return z.string().superRefine((value, ctx) => {
        const fail = (why: string) =>
            ctx.addIssue({
                code: "custom",
                message: `${field} ${why}: use an absolute folder on the Hyper-V host, e.g. D:\\Hyper-V\\Checkpoints or \\\\server\\share\\checkpoints`,
            });
        if (value.trim() !== value || value === "") return fail("is empty or has leading/trailing spaces");
        if (unpairedSurrogate(value)) return fail("holds an unpaired UTF-16 surrogate, which cannot reach a host as text");
        if (value.startsWith("\\\\?\\") || value.startsWith("\\\\.\\")) return fail("uses a device path (\\\\?\\ or \\\\.\\)");
        if (value.includes("/")) return fail("uses '/': Windows paths use '\\'");
        if (!DRIVE_PATH.test(value) && !UNC_PATH.test(value)) return fail(`"${value}" is not an absolute Windows path`);
        const parts = value.split("\\").filter(Boolean);
        if (parts.some((p) => p === "." || p === "..")) return fail("contains '.' or '..'");
        if (parts.some((p) => RESERVED.test(p) || /[ .]$/.test(p)))
            return fail("contains a reserved name (CON, NUL, COM1, ...) or a name ending in a space or dot");
        if (value.length > 248) return fail("is longer than 248 characters");
    });
}
