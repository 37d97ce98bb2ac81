import { isDeepStrictEqual } from "node:util";

/*
 * What `read` hands back as the resource's inputs: the declaration as the host now has it, so that
 * the next preview names what drifted (`~ name`). Only when it differs from the declaration the
 * previous outputs give: without inputs the engine keeps the ones it has, which already say the
 * same, and a refresh that finds nothing changed carries half as much back through the provider
 * host, gRPC and the engine (BENCHMARKS.md, refresh at N = 500).
 */

/** `{ inputs: now }` when the host's declaration changed since the state was written, else nothing. */
export function inputsIfChanged<T>(now: object, before: object): { inputs?: T } {
    return isDeepStrictEqual(now, before) ? {} : { inputs: now as T };
}
