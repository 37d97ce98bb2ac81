"use strict";
// The engine floor's dynamic provider: returns at once, so the engine's own cost is measured
// alone. Installed as a package and exported whole, like hyperv-checkpoints' providers, so that
// Pulumi serialises both into the state the same way (a `require` of the module, not its text).
module.exports = {
    async check(_olds, news) { return { inputs: news }; },
    async diff() { return { changes: false }; },
    async create(inputs) { return { id: require("node:crypto").randomUUID(), outs: inputs }; },
    async read(id, props) { return { id, props }; },
    async update(_id, _olds, news) { return { outs: news }; },
    async delete() {},
};
