import { observeHostCalls } from "../test/host/observed-hosts";

/** Time spent inside host calls, and how many, in all and per method. */
export interface HostMeter {
    ms: number;
    calls: number;
    byMethod: Record<string, number>;
}

/**
 * From now on the provider's hosts are the adapters with every call timed, below the per-VM
 * ordering: it counts what reaches the host.
 */
export function meterHosts(): HostMeter {
    const meter: HostMeter = { ms: 0, calls: 0, byMethod: {} };
    observeHostCalls((method) => {
        const start = performance.now();
        meter.calls++;
        meter.byMethod[method] = (meter.byMethod[method] ?? 0) + 1;
        return (settled) => {
            const done = () => {
                meter.ms += performance.now() - start;
            };
            settled.then(done, done);
        };
    });
    return meter;
}
