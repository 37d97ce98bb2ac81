export * from "./model";
export * from "./rules";
export * from "./errors";
export type { HyperVHost } from "./port";
