/*
 * Text as Windows and .NET compare it. Hyper-V matches VM names, and NTFS paths, without case
 * but ordinally (.NET's OrdinalIgnoreCase: each UTF-16 unit upper-cased on its own, nothing
 * normalised or ignored). JavaScript's toLowerCase maps some letters differently (the Kelvin sign
 * becomes "k", a final sigma stays itself), and PowerShell's -eq is culture-aware (it ignores
 * zero-width and control characters): both would take one name for another.
 */

/** Upper-cases unit by unit, keeping units whose upper case is longer (ß stays ß, as in .NET). */
function upperOrdinal(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const unit = text[i]!;
        const upper = unit.toUpperCase();
        out += upper.length === 1 ? upper : unit;
    }
    return out;
}

/** .NET's String.Equals(a, b, StringComparison.OrdinalIgnoreCase), for the characters Windows names use. */
export function sameIgnoringCase(a: string, b: string): boolean {
    return a.length === b.length && upperOrdinal(a) === upperOrdinal(b);
}

import { HostError, type ErrorContext } from "./errors";

/**
 * Refuses a request holding text no host can be sent (an unpaired surrogate), naming the field,
 * before anything is asked of the host. Both adapters call it, so they refuse alike.
 */
export function refuseUnsendable(fields: Record<string, unknown>, context: ErrorContext): void {
    for (const [field, value] of Object.entries(fields)) {
        if (typeof value !== "string") continue;
        const lone = unpairedSurrogate(value);
        if (lone) {
            throw new HostError("UnsendableText", `${field} holds an unpaired UTF-16 surrogate (${lone.unit} at index ${lone.index})`, context);
        }
    }
}

/**
 * The first UTF-16 surrogate without its other half, or null. Text reaches a host as UTF-8 JSON,
 * which has no form for one: it would arrive as U+FFFD, naming something else.
 */
export function unpairedSurrogate(text: string): { index: number; unit: string } | null {
    const match = /\p{Cs}/u.exec(text);
    return match ? { index: match.index, unit: `U+${match[0].charCodeAt(0).toString(16).toUpperCase()}` } : null;
}
