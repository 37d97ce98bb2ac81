"use strict";
// The benchmark's program. bench:mode "ours" declares, for each VM of bench:vms, a
// VmCheckpointPolicy and two Checkpoints depending on it; "floor" declares the same shape with a
// dynamic provider that does nothing, so the engine's own cost is measured alone.
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config("bench");
const mode = config.require("mode");
const vms = config.requireNumber("vms");

/** Returns at once: what every dynamic resource costs the engine, with no provider work. */
const noop = {
    async check(_olds, news) { return { inputs: news }; },
    async diff() { return { changes: false }; },
    async create(inputs) { return { id: require("node:crypto").randomUUID(), outs: inputs }; },
    async read(id, props) { return { id, props }; },
    async update(_id, _olds, news) { return { outs: news }; },
    async delete() {},
};

class Noop extends pulumi.dynamic.Resource {
    constructor(name, args, opts) {
        super(noop, name, args, opts);
    }
}

const hyperv = mode === "ours" ? require("hyperv-checkpoints") : undefined;

for (let i = 0; i < vms; i++) {
    const vmName = `vm${i}`;
    if (hyperv) {
        const policy = new hyperv.VmCheckpointPolicy(`policy-${vmName}`, { vmName, type: "standard" });
        new hyperv.Checkpoint(`before-${vmName}`, { vmName, name: "before change" }, { dependsOn: [policy] });
        new hyperv.Checkpoint(`after-${vmName}`, { vmName, name: "after change" }, { dependsOn: [policy] });
    } else {
        const policy = new Noop(`policy-${vmName}`, { vmName, type: "standard" });
        new Noop(`before-${vmName}`, { vmName, name: "before change" }, { dependsOn: [policy] });
        new Noop(`after-${vmName}`, { vmName, name: "after change" }, { dependsOn: [policy] });
    }
}
