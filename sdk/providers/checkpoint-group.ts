import { forward } from "./forward";

// The module's whole export, so that Pulumi can serialise it as a require (see ./forward).
export = forward("checkpointGroupProvider");
