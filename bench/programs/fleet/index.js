"use strict";
// The benchmark's program. bench:mode "ours" declares, for each VM of bench:vms, a
// VmCheckpointPolicy and two Checkpoints depending on it; "floor" declares the same shape with a
// dynamic provider that does nothing (bench/programs/noop-provider), so the engine's own cost is
// measured alone. Both providers are installed packages, serialised into the state alike.
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config("bench");
const mode = config.require("mode");
const vms = config.requireNumber("vms");

class Noop extends pulumi.dynamic.Resource {
    constructor(name, args, opts) {
        // "floor-quiet" registers with stack traces off, as hyperv-checkpoints' resources do.
        const limit = Error.stackTraceLimit;
        if (mode === "floor-quiet") Error.stackTraceLimit = 0;
        try {
            super(require("hyperv-bench-noop-provider"), name, args, opts);
        } finally {
            Error.stackTraceLimit = limit;
        }
    }
}

const hyperv = mode === "ours" ? require("hyperv-checkpoints") : undefined;

// "native" declares the same resources on the native plugin (package hyperv), "native-floor" on a
// no-op native plugin of the same shape (package hvnoop, bench/programs/noop-native): registered
// by type token, as any language's SDK would.
const nativePackage = { native: "hyperv", "native-floor": "hvnoop" }[mode];
const native = (type, name, args, opts) => new pulumi.CustomResource(`${nativePackage}:index:${type}`, name, args, opts);

for (let i = 0; i < vms; i++) {
    const vmName = `vm${i}`;
    if (nativePackage) {
        const policy = native("VmCheckpointPolicy", `policy-${vmName}`, { vmName, type: "standard" });
        native("Checkpoint", `before-${vmName}`, { vmName, name: "before change" }, { dependsOn: [policy] });
        native("Checkpoint", `after-${vmName}`, { vmName, name: "after change" }, { dependsOn: [policy] });
    } else if (hyperv) {
        const policy = new hyperv.VmCheckpointPolicy(`policy-${vmName}`, { vmName, type: "standard" });
        new hyperv.Checkpoint(`before-${vmName}`, { vmName, name: "before change" }, { dependsOn: [policy] });
        new hyperv.Checkpoint(`after-${vmName}`, { vmName, name: "after change" }, { dependsOn: [policy] });
    } else {
        const policy = new Noop(`policy-${vmName}`, { vmName, type: "standard" });
        new Noop(`before-${vmName}`, { vmName, name: "before change" }, { dependsOn: [policy] });
        new Noop(`after-${vmName}`, { vmName, name: "after change" }, { dependsOn: [policy] });
    }
}
