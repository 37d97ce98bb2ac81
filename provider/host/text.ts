import { ORDINAL_CASE_FOLDS } from "./ordinal-casing";

/*
 * Text as Windows and .NET compare it. Hyper-V matches VM names, and the scripts compare paths,
 * with .NET's OrdinalIgnoreCase: each character replaced by its upper case on its own (a
 * surrogate pair as one character), nothing normalised or ignored. That upper case is .NET's
 * table, not JavaScript's: toUpperCase maps ı (U+0131) to I and ſ (U+017F) to S, gives two
 * letters for ᾳ (U+1FB3) where .NET gives ᾼ, and follows a newer Unicode than a host's ICU
 * (Node 24: Unicode 17). PowerShell's -eq is culture-aware besides (it ignores zero-width and
 * control characters). Any of them would take one name for another, or miss a match the host
 * makes. The table (ordinal-casing.ts) is what PowerShell 7 answers, and
 * test/host/ordinal-casing.test.ts compares the two over the Basic Multilingual Plane and plane 1.
 * Windows PowerShell 5.1 (.NET Framework) folds with Windows' own table, which can differ for
 * letters added to Unicode since.
 */

/** The upper case of each BMP unit, and of each supplementary code point that has one; built on first use. */
let folds: { units: Uint16Array; pairs: Map<number, number> } | undefined;

function ordinalFolds(): { units: Uint16Array; pairs: Map<number, number> } {
    if (folds) return folds;
    const units = new Uint16Array(0x10000);
    for (let unit = 0; unit < units.length; unit++) units[unit] = unit;
    const pairs = new Map<number, number>();
    for (const [first, count, step, offset] of ORDINAL_CASE_FOLDS) {
        for (let cp = first; cp < first + count * step; cp += step) {
            if (cp < 0x10000) units[cp] = cp + offset;
            else pairs.set(cp, cp + offset);
        }
    }
    folds = { units, pairs };
    return folds;
}

/**
 * A name as the host tells names apart: two names are the same VM's name (or the same folder)
 * exactly when their keys are equal. For maps keyed by name, such as the per-VM ordering.
 */
export function ordinalKey(text: string): string {
    const { units, pairs } = ordinalFolds();
    let out = "";
    for (let i = 0; i < text.length; i++) {
        // A whole surrogate pair is one code point; a lone surrogate is itself.
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) {
            out += String.fromCodePoint(pairs.get(cp) ?? cp);
            i++;
        } else {
            out += String.fromCharCode(units[cp]!);
        }
    }
    return out;
}

/** .NET's String.Equals(a, b, StringComparison.OrdinalIgnoreCase). */
export function sameIgnoringCase(a: string, b: string): boolean {
    return a.length === b.length && ordinalKey(a) === ordinalKey(b);
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
