/**
 * The provider side of hyperv-checkpoints: what the dynamic provider process loads. The SDK's
 * serialised providers `require` this module by package name inside each method, so it resolves
 * from the user's node_modules and is loaded once per provider process.
 */
import type { ConfigSource } from "./config";
import { configureFromStack } from "./resources/shared/runtime";

export { policyProvider } from "./resources/policy/provider";
export { checkpointProvider } from "./resources/checkpoint/provider";
export { checkpointGroupProvider } from "./resources/group/provider";
export { CheckpointGroupError, isCheckpointGroupError, type MemberOutcome } from "./resources/group/errors";
export { configureSettings, hostFor } from "./resources/shared/runtime";
export { readHostSettings, parseHostAddress, type HostSettings, type HostAddress } from "./config";
export { disconnectAll } from "./connect";
export * from "./host";

/** Called from the dynamic provider's `configure` with the stack's configuration. */
export function configure(config: ConfigSource): void {
    configureFromStack(config);
}
