/**
 * The provider side of hyperv-checkpoints: what the dynamic provider process loads. The SDK's
 * serialised providers `require` this module by package name inside each method, so it resolves
 * from the user's node_modules and is loaded once per provider process. The seams tests use
 * (useHostFactory, forgetPreview in ./root; openAdapter in ./connect) are not part of it.
 */
export { configure, configureSettings, hostFor, disconnectAll, policyProvider, checkpointProvider, checkpointGroupProvider } from "./root";
export { CheckpointGroupError, isCheckpointGroupError, type MemberOutcome } from "./resources/group/errors";
export { readHostSettings, parseHostAddress, type HostSettings, type HostAddress } from "./config";
export * from "./host";
