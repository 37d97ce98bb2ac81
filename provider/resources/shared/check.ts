import type { z } from "zod";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** zod issues as the engine's check failures: the field, what is wrong, and the fix. */
export function checkFailures(error: z.ZodError): CheckFailure[] {
    return error.issues.map((issue) => ({
        property: issue.path.length ? issue.path.map(String).join(".") : "(resource)",
        reason: issue.message,
    }));
}

/** Inputs the engine has not resolved yet (preview with unknown values). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/**
 * Drops undefined fields: the dynamic provider host turns outputs into a protobuf Struct, which
 * refuses undefined ("Unexpected struct type").
 */
export function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
