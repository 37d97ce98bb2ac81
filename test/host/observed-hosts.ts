import type { HyperVHost } from "../../provider";
import { openAdapter } from "../../provider/connect";
import { useHostFactory } from "../../provider/root";

/** Every method of the port that reaches a host, capabilities (read once per host) first. */
export const PORT_METHODS = [
    "capabilities",
    "getVm",
    "getVmWithCheckpoints",
    "applyCheckpointSettings",
    "takeCheckpoint",
    "applyCheckpoint",
    "renameCheckpoint",
    "removeCheckpoint",
    "startVm",
    "suspendVm",
    "resumeVm",
] as const;
export type PortMethod = (typeof PORT_METHODS)[number];

/**
 * From now on (until useHostFactory(undefined)) the provider's hosts are the adapters with every
 * port call reported to `onCall` just before it is made; what `onCall` returns, if anything, is
 * given the promise of the call's result. Handed in through
 * the composition root like any host, so it sits below the per-VM ordering: it sees what reaches
 * the host (overlapping reads of one VM count once). Tests record with it, benchmarks time with it.
 */
export function observeHostCalls(onCall: (method: PortMethod, args: unknown[]) => ((settled: Promise<unknown>) => void) | undefined): void {
    useHostFactory((address, settings) => {
        const inner = openAdapter(address, settings);
        const observed = Object.create(inner) as Record<string, unknown>;
        for (const method of PORT_METHODS) {
            observed[method] = (...args: unknown[]) => {
                const then = onCall(method, args);
                const settled = (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
                then?.(settled);
                return settled;
            };
        }
        return observed as unknown as HyperVHost;
    });
}
