import type { HyperVHost } from "../../host";
import { readHostSettings, type ConfigSource, type HostSettings } from "../../config";
import { connectHost } from "../../connect";

/**
 * What the dynamic provider's `configure` received: the stack's hyperv:* settings. Kept in this
 * module (loaded once per provider process), never in the serialised provider or resource state.
 */
let settings: HostSettings | undefined;

export function configureFromStack(config: ConfigSource): void {
    settings = readHostSettings(config);
}

/** For tests and programs that drive the provider in process. */
export function configureSettings(value: HostSettings): void {
    settings = value;
}

/** The host a resource talks to: its own `host` override, else the stack's hyperv:host. */
export function hostFor(override: string | undefined): HyperVHost {
    return connectHost(settings ?? readHostSettings({ get: () => undefined }), override);
}
