export * from "./ids";
export * from "./model";
export * from "./rules";
export * from "./take-refusals";
export * from "./settings-change";
export * from "./text";
export * from "./errors";
export type { HostFor, HyperVHost } from "./port";
export { orderedByVm } from "./vm-ordering";
