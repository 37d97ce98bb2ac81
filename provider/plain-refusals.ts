import { isHostError } from "./host";
import { isCheckpointGroupError } from "./resources/group/errors";

/*
 * A refusal is not a bug: the user should read what was refused and what to do, not our call
 * stack. A refusal preview is certain of is a check failure (resources/shared/check.ts); one found
 * later (in diff, create, update, delete, read) is thrown, and the dynamic provider host prints
 * every thrown error as `${e}: ${e.stack}` before the engine shows its message on the resource.
 * So our typed errors leave the provider with no frames and no class name: that line carries the
 * message alone, and the instance keeps its type, code and context for callers in process.
 * Anything else (a TypeError, say) is our own bug and keeps its stack.
 */

type Methods = { [name: string]: unknown };

/** `provider` with every method's typed refusals made plain (see above). */
export function withPlainRefusals<P extends object>(provider: P): P {
    const wrapped: Methods = { ...(provider as Methods) };
    for (const [name, method] of Object.entries(wrapped)) {
        if (typeof method !== "function") continue;
        wrapped[name] = async (...args: unknown[]) => {
            try {
                return await (method as (...a: unknown[]) => unknown).apply(provider, args);
            } catch (e) {
                throw plain(e);
            }
        };
    }
    return wrapped as P;
}

function plain(e: unknown): unknown {
    if (!(isHostError(e) || isCheckpointGroupError(e))) return e;
    const message = e.message;
    Object.defineProperty(e, "stack", { value: "", configurable: true, writable: true });
    Object.defineProperty(e, "toString", { value: () => message, configurable: true, writable: true });
    return e;
}
