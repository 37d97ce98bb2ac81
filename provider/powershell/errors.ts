import { errorFromRecord, HostError, type ErrorContext, type ErrorRecord } from "../host/errors";

/** How much of an unexpected output an error message carries. */
export const OUTPUT_EXCERPT_LENGTH = 1500;

/**
 * A failure the host reported in its error envelope. Classified by FullyQualifiedErrorId and
 * exception type (errorFromRecord), never by message text: messages are translated.
 */
export function hostErrorFromEnvelope(record: ErrorRecord, context: ErrorContext): HostError {
    return errorFromRecord(record, context);
}

/** Output we cannot read: names the host and carries a trimmed copy of what came back. */
export function unexpectedOutput(context: ErrorContext, problem: string, output: string): HostError {
    const text = output.trim();
    const shown = text.length <= OUTPUT_EXCERPT_LENGTH ? text : `${text.slice(0, OUTPUT_EXCERPT_LENGTH)}… (${text.length} characters in all)`;
    return new HostError("UnexpectedOutput", `${problem}; the host returned: ${shown || "(nothing)"}`, context);
}
