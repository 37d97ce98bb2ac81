import { excerpt } from "./errors";
import type { CommandShell } from "./command-shell";

/** An error envelope from a remote session: whether its connection was lost, and the record. */
export function remoteFailure(result: string): { connectionLost: boolean; error: Record<string, unknown> & { message: string } } | null {
    const answer = safeJson(result) as { error?: Record<string, unknown> } | null;
    const error = answer?.error;
    if (!error || typeof error.message !== "string") return null;
    const openFailed = String(error.fullyQualifiedErrorId ?? "").startsWith("PSSessionOpenFailed");
    if (error.connectionLost !== true && !openFailed) return null;
    return { connectionLost: error.connectionLost === true, error: error as Record<string, unknown> & { message: string } };
}

/**
 * What ssh printed during the last command (" (ssh: ...)"), or "": ssh's own words (connection
 * refused, host key, permission) reach us on the shell's streams, not in the error record.
 */
export function sshSaid(shell: CommandShell): string {
    const lines = `${shell.stdoutSoFar}\n${shell.stderrSoFar}`
        // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences (ESC [) are what this removes
        .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        // Our delimiters are 24 hex digits; our markers carry results.
        .filter((l) => l !== "" && !/^[0-9a-f]{24}$/.test(l) && !l.includes("@@HVCP"));
    const words = [...new Set(lines)].slice(0, 3).join(" ");
    return words ? ` (${excerpt(words, 500)})` : "";
}

export function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return null;
    }
}
