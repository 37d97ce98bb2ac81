import { isDeepStrictEqual } from "node:util";
import { type Message, type Props, providerPb, struct } from "./proto";
import { plain } from "./values";

/* The engine's request and response messages, to and from the resources' plain values. */

/** The stack's hyperv:* settings as `pulumi config` wrote them, by their plain names (host, timeoutSeconds). */
export function settingsSource(values: Props) {
    const text = Object.fromEntries(Object.entries(values).map(([k, v]) => [`hyperv:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
    return { rawConfig: text, get: (key: string) => text[key] };
}

/** The provider's configuration from a Configure request: its args, else the variables ("hyperv:config:host"). */
export function configOf(request: Message): Props {
    if (request.hasArgs()) return plain(request.getArgs());
    const out: Props = {};
    request.getVariablesMap().forEach((value: string, key: string) => {
        const m = /^hyperv:(?:config:)?(.+)$/.exec(key);
        if (m) out[m[1]!] = value;
    });
    return out;
}

export function checkResponse(result: { inputs?: Props; failures?: { property: string; reason: string }[] }): Message {
    const response = new providerPb.CheckResponse();
    if (result.inputs) response.setInputs(struct(result.inputs));
    for (const f of result.failures ?? []) {
        const failure = new providerPb.CheckFailure();
        failure.setProperty(f.property);
        failure.setReason(f.reason);
        response.addFailures(failure);
    }
    return response;
}

/** What a preview's prediction found (see check): an error in the words of `up`, naming the property. */
export function predictionError(failures: { property: string; reason: string }[]): Error {
    return new Error(failures.map((f) => (f.property ? `${f.property}: ${f.reason}` : f.reason)).join("; "));
}

const Kind = providerPb.PropertyDiff.Kind;

/** The per-property diff the engine shows: the declared properties that changed, and which of them replace. */
export function detailedDiff(olds: Props, news: Props, replaces: readonly string[]): Map<string, number> {
    const diffs = new Map<string, number>();
    for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) {
        if (isDeepStrictEqual(olds[key], news[key])) continue;
        const replace = replaces.includes(key);
        const kind = !(key in olds)
            ? replace
                ? Kind.ADD_REPLACE
                : Kind.ADD
            : !(key in news)
              ? replace
                  ? Kind.DELETE_REPLACE
                  : Kind.DELETE
              : replace
                ? Kind.UPDATE_REPLACE
                : Kind.UPDATE;
        diffs.set(key, kind);
    }
    for (const key of replaces) if (!diffs.has(key)) diffs.set(key, Kind.UPDATE_REPLACE);
    return diffs;
}

export function diffResponse(changes: boolean | undefined, diffs: Map<string, number>, replaces: readonly string[], deleteBeforeReplace: boolean): Message {
    const response = new providerPb.DiffResponse();
    const Changes = providerPb.DiffResponse.DiffChanges;
    response.setChanges(changes === undefined ? Changes.DIFF_UNKNOWN : changes || diffs.size > 0 ? Changes.DIFF_SOME : Changes.DIFF_NONE);
    response.setReplacesList([...replaces]);
    response.setDeletebeforereplace(deleteBeforeReplace && replaces.length > 0);
    response.setDiffsList([...diffs.keys()]);
    response.setHasdetaileddiff(true);
    const detailed = response.getDetaileddiffMap();
    for (const [key, kind] of diffs) {
        const d = new providerPb.PropertyDiff();
        d.setKind(kind);
        d.setInputdiff(true);
        detailed.set(key, d);
    }
    return response;
}
