/**
 * Shows a warning on the resource `urn` (the SDK records each resource's URN among its inputs,
 * since `delete` is given none), or, without one, where the engine logs what the provider prints.
 * The composition root makes it (provider/engine-log.ts) and hands it to every resource.
 */
export type WarnOnResource = (urn: string | undefined, message: string) => Promise<void>;
