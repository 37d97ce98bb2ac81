/*
 * A dynamic resource's provider travels in its state: the `__provider` property holds JavaScript
 * whose `exports.handler()` returns the provider, and the engine's Node.js provider host loads it
 * from there for every operation (the host's `getProvider`: `requireFromString(text).handler()`).
 * Pulumi stores it twice per resource (inputs and outputs), and the file backend rewrites the whole
 * state after every step of an `up` or `destroy`.
 *
 * `pulumi.dynamic.Resource` would put there its closure serialisation of the provider object:
 * about 320 bytes of wrapper around the same `require` (and the program loads Pulumi's closure
 * serialiser to make it). The package's resources register this fixed text instead, which the
 * provider host loads the same way: 83 bytes, so about 470 bytes less per resource in every state
 * write (BENCHMARKS.md, "What a destroy's engine work is"). States written with the old text keep
 * working: it requires the same modules.
 *
 * One text per resource kind, the same for a program's registrations and for the import files of
 * `provider/import` (whose Check needs it in the inputs): one owner, here.
 */

/** The provider modules the package exports for this purpose (package.json: ./dist/sdk/providers/*.js). */
export type ProviderModule = "policy" | "checkpoint" | "checkpoint-group";

/** The `__provider` text of one resource kind. */
export function serialisedProvider(module: ProviderModule): string {
    return `exports.handler=()=>require("hyperv-checkpoints/dist/sdk/providers/${module}.js")`;
}
