import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { z } from "zod";

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

/** An input the engine has not resolved yet (a preview with unknown values): Pulumi's own sentinel. */
export function isUnknown(value: unknown): boolean {
    return value === unknownValue;
}

/**
 * The engine's check: every rule when all values are known; while some are unknown (preview),
 * only the per-field rules, since a cross-field rule (exactly one VM, fallback only with
 * production) cannot be judged on a value nobody knows yet. The engine checks again with every
 * value known before it creates or updates.
 */
export function checkInputs(
    schema: z.ZodType,
    shape: z.ZodRawShape,
    news: Record<string, unknown>,
): { inputs: Record<string, unknown> } | { failures: CheckFailure[] } {
    const unknownFields = new Set(Object.keys(news).filter((k) => isUnknown(news[k])));
    const known = Object.fromEntries(Object.entries(news).filter(([k]) => !unknownFields.has(k)));
    const parsed = (unknownFields.size > 0 ? z.object(shape) : schema).safeParse(known);
    if (!parsed.success) {
        const failures = checkFailures(parsed.error).filter((f) => !unknownFields.has(f.property.split(".")[0]!));
        if (failures.length > 0) return { failures };
    }
    return { inputs: news };
}

/**
 * Runs preview's prediction and returns a refusal it predicts as the engine's check failure: the
 * engine shows it once, on the resource it is about, in the refusal's own words (those `up`
 * gives). Thrown from `check`, the dynamic provider host would also print it with its JavaScript
 * stack (its check handler logs `${e}: ${e.stack}`), which the engine shows on the stack resource
 * and under Diagnostics. `fieldAtFault` names the field a refusal is about ("" for the resource as
 * a whole), or undefined for what is not a refusal: our own bug, thrown stack and all.
 */
export async function predictedFailures(predict: () => Promise<void>, fieldAtFault: (e: unknown) => string | undefined): Promise<CheckFailure[]> {
    try {
        await predict();
        return [];
    } catch (e) {
        const property = fieldAtFault(e);
        if (property === undefined) throw e;
        return [{ property, reason: (e as Error).message }];
    }
}
