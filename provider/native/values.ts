/*
 * Property values between the engine's protobuf Structs and the plain objects the resources take.
 * Unknown values stay Pulumi's unknown sentinel string (what the resources' checks look for);
 * secrets, which the engine sends only in the configuration (the plugin does not accept secret
 * resource properties, so the engine keeps resource secrets to itself), are unwrapped.
 */

/** Pulumi's marker of a special value (a secret, here) and the signature of a secret. */
const SPECIAL_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface StructLike {
    toJavaScript(): Record<string, unknown>;
}

export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SPECIAL_SIG] === SECRET_SIG) return unwrapSecrets(record.value);
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** A request's Struct as a plain object (an absent Struct is an empty object). */
export function plain(struct: StructLike | undefined): Record<string, unknown> {
    return struct ? (unwrapSecrets(struct.toJavaScript()) as Record<string, unknown>) : {};
}

/** A plain object as the JSON the Struct is built from: undefined fields dropped, as the engine never stores them. */
export function structValue(value: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
