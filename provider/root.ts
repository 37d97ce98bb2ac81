import { checkConfiguredKeys, configuredKeys, readHostSettings, type ConfigSource, type HostSettings } from "./config";
import { openAdapter, resolveAddress, type HostFactory } from "./connect";
import { engineWarnings } from "./engine-log";
import { ClusterHost } from "./cluster/cluster-host";
import { withPlainRefusals } from "./plain-refusals";
import { orderedByVm, type HostFor, type HyperVHost } from "./host";
import { checkpointProviderOn } from "./resources/checkpoint/provider";
import { checkpointGroupProviderOn } from "./resources/group/provider";
import { policyProviderOn } from "./resources/policy/provider";
import { PreviewMemory } from "./resources/shared/preview";
import type { MergeWatch } from "./resources/shared/merge-wait";

/** A merge read costs one Get-VM: once a second shows progress without loading the host. */
const MERGE_POLL_MS = 1000;

/*
 * The composition root: the one module with process-wide state (the settings, the hosts, what a
 * preview has learned, the engine's log client), and the only one that joins resources to adapters. The dynamic
 * provider's `configure` hands it the stack's hyperv:* settings (never the serialised provider or
 * resource state); resources receive `hostFor` and never learn which kind of host answers. One
 * host per address per process, wrapped once in the per-VM ordering (host/vm-ordering), so every
 * resource of a stack shares its VM turns.
 */

let settings: HostSettings = readHostSettings({ get: () => undefined });
let factory: HostFactory = openAdapter;
const hosts = new Map<string, HyperVHost>();

/**
 * Called from the dynamic provider's `configure` with the stack's configuration: a `hyperv:*` key
 * that is no setting is refused when it looks like a misspelt one, else warned about.
 */
export function configure(config: ConfigSource): Promise<void> {
    // Bad configuration throws here and now, as callers in process expect; only the warnings wait.
    const warnings = checkConfiguredKeys(configuredKeys(config));
    configureSettings(readHostSettings(config));
    return Promise.all(warnings.map((w) => warnOnResource.onStack(w))).then(() => undefined);
}

/** For programs that drive the provider in process (the pipeline example, tests). */
export function configureSettings(value: HostSettings): void {
    settings = value;
}

/**
 * Serves hosts from `open` instead of the adapters (tests: a recording host), or again from the
 * adapters when undefined. Hosts opened before are released.
 */
export function useHostFactory(open: HostFactory | undefined): void {
    void disconnectAll();
    factory = open ?? openAdapter;
}

/** The host a resource talks to: its own `host` override, else the stack's hyperv:host. */
export const hostFor: HostFor = (override) => {
    const address = resolveAddress(settings, override);
    const key = JSON.stringify(address);
    let host = hosts.get(key);
    if (!host) {
        const opened = factory(address, settings);
        // A cluster bounds each node's sessions itself (connect.ts); its VMs keep one order here.
        const maxConcurrent = opened instanceof ClusterHost ? Number.POSITIVE_INFINITY : settings.maxSessions;
        host = orderedByVm(opened, { maxConcurrent });
        hosts.set(key, host);
    }
    return host;
};

/** What this process's preview has learned (one provider process serves one preview). */
const preview = new PreviewMemory();

/** Warnings on resources, through the engine that started this process (its address is the first argument). */
const warnOnResource = engineWarnings(process.argv[2]);

export const policyProvider = withPlainRefusals(policyProviderOn(hostFor, preview, warnOnResource));
/** How deletes (and takes) wait for Hyper-V's background merges: bounded by hyperv:mergeTimeoutSeconds, progress as the resource's status. */
const merges: MergeWatch = { timeoutSeconds: () => settings.mergeTimeoutSeconds, report: warnOnResource.status, pollMs: MERGE_POLL_MS };

export const checkpointProvider = withPlainRefusals(checkpointProviderOn(hostFor, preview, warnOnResource, merges));
export const checkpointGroupProvider = withPlainRefusals(checkpointGroupProviderOn(hostFor, preview, warnOnResource, merges));

/** For tests and benchmarks that run several previews in one process. */
export function forgetPreview(): void {
    preview.forget();
}

/** Ends every session (the provider process is exiting, or a tool is done). */
export async function disconnectAll(): Promise<void> {
    const all = [...hosts.values()];
    hosts.clear();
    await Promise.allSettled(all.map((h) => h.dispose()));
}
