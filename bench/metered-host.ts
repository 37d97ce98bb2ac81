import { openAdapter, useHostFactory, type HyperVHost } from "../provider";

/** Time spent inside host calls, and how many, in all and per method. */
export interface HostMeter {
    ms: number;
    calls: number;
    byMethod: Record<string, number>;
}

const METHODS = [
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

/**
 * From now on the provider's hosts are the adapters wrapped in a meter, handed in through the
 * composition root. The meter sits below the per-VM ordering: it counts what reaches the host.
 */
export function meterHosts(): HostMeter {
    const meter: HostMeter = { ms: 0, calls: 0, byMethod: {} };
    useHostFactory((address, settings) => {
        const inner = openAdapter(address, settings);
        const metered = Object.create(inner) as Record<string, unknown>;
        for (const name of METHODS) {
            metered[name] = async (...args: unknown[]) => {
                const start = performance.now();
                meter.calls++;
                meter.byMethod[name] = (meter.byMethod[name] ?? 0) + 1;
                try {
                    return await (inner[name] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
                } finally {
                    meter.ms += performance.now() - start;
                }
            };
        }
        return metered as unknown as HyperVHost;
    });
    return meter;
}
