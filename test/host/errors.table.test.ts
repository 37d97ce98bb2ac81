import assert from "node:assert/strict";
import { HostError, isHostError, type ErrorContext } from "../../provider/host";

describe("HostError: one line naming where, why and what to do", () => {
    const host = "hv01";
    const id = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";
    const cases: [string, ErrorContext, string, string][] = [
        ["only the host", { host }, "it failed", "host hv01: it failed. See the host's message."],
        ["the operation leads", { host, operation: "take checkpoint" }, "it failed", "take checkpoint failed on host hv01: it failed. See the host's message."],
        ["a VM by name", { host, vm: "web01" }, "x", 'host hv01, VM "web01": x. See the host\'s message.'],
        ["a VM by id alone: one space, no empty quotes", { host, vmId: id }, "x", `host hv01, VM (${id}): x. See the host's message.`],
        ["a VM by name and id", { host, vm: "web01", vmId: id }, "x", `host hv01, VM "web01" (${id}): x. See the host's message.`],
        ["a checkpoint by id alone", { host, checkpointId: id }, "x", `host hv01, checkpoint (${id}): x. See the host's message.`],
        [
            "a checkpoint by name and id",
            { host, checkpoint: "keep", checkpointId: id },
            "x",
            `host hv01, checkpoint "keep" (${id}): x. See the host's message.`,
        ],
        ["the host's trailing full stops and spaces are not doubled", { host }, "it failed... ", "host hv01: it failed. See the host's message."],
    ];
    for (const [what, context, detail, expected] of cases) {
        it(what, () => assert.equal(new HostError("HostFailure", detail, context).message, expected));
    }

    it("a hint given replaces the code's own", () => {
        assert.equal(new HostError("HostFailure", "x", { host }, { hint: "do this" }).message, "host hv01: x. Do this.");
    });
});

describe("HostError: recognised and traceable", () => {
    it("keeps the failure it reports as its cause, not a copy of its text", () => {
        const original = new Error("the shell died");
        const e = new HostError("HostUnreachable", "the host went away", { host: "hv01" }, { cause: original });
        assert.equal(e.cause, original);
        assert.doesNotMatch(e.message, /the shell died/);
    });

    it("has no cause unless given one", () => {
        assert.equal("cause" in new HostError("HostFailure", "x", { host: "hv01" }), false);
    });

    it("is recognised by code", () => {
        const e = new HostError("VmNotFound", "x", { host: "hv01" });
        assert.equal(isHostError(e, "VmNotFound"), true);
        assert.equal(isHostError(e, "AccessDenied"), false);
        assert.equal(HostError.is(e), true);
    });

    it("an ordinary error, or one that copies the fields, is not a HostError", () => {
        assert.equal(isHostError(new Error("x")), false);
        assert.equal(isHostError({ code: "VmNotFound", message: "x" }), false);
        assert.equal(isHostError(undefined), false);
    });

    it("is recognised from a second copy of the package loaded in the same process", () => {
        // The serialised provider loads the package by name while tests load it by path: two classes.
        const path = require.resolve("../../provider/host/errors");
        const cached = require.cache[path];
        delete require.cache[path];
        try {
            const copy = require(path) as typeof import("../../provider/host/errors");
            assert.notEqual(copy.HostError, HostError);
            const e = new copy.HostError("VmNotFound", "x", { host: "hv01" });
            assert.equal(e instanceof HostError, false);
            assert.equal(isHostError(e, "VmNotFound"), true);
            assert.equal(copy.isHostError(new HostError("VmNotFound", "x", { host: "hv01" }), "VmNotFound"), true);
        } finally {
            if (cached) require.cache[path] = cached;
        }
    });
});
