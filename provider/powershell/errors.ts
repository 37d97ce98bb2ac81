import { HostError, type ErrorContext } from "../host/errors";

/** How much of what a shell printed an error message carries: enough to diagnose, short enough to read. */
export const OUTPUT_EXCERPT_LENGTH = 1500;

/** The trimmed text, cut to `limit` characters with a note of how long it was. */
export function excerpt(output: string, limit = OUTPUT_EXCERPT_LENGTH): string {
    const text = output.trim();
    return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters in all)`;
}

/** Output we cannot read: names the host and carries a trimmed copy of what came back. */
export function unexpectedOutput(context: ErrorContext, problem: string, output: string): HostError {
    return new HostError("UnexpectedOutput", `${problem}; the host returned: ${excerpt(output) || "(nothing)"}`, context);
}
