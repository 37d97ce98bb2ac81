import * as assert from "node:assert/strict";
import { Checkpoint, CheckpointGroup, VmCheckpointPolicy } from "../../sdk";
import { quietRegistration } from "../../sdk/registration";

describe("registering a resource without promise stacks (sdk/registration.ts)", () => {
    const declare = {
        VmCheckpointPolicy: () => new VmCheckpointPolicy("", { vmName: "web" }),
        Checkpoint: () => new Checkpoint("", { vmName: "web" }),
        CheckpointGroup: () => new CheckpointGroup("", { vms: [{ vmName: "web" }] }),
    };
    for (const [kind, construct] of Object.entries(declare)) {
        it(`${kind}: an error thrown while registering still points at the program line, and stacks are back on after`, () => {
            const before = Error.stackTraceLimit;
            assert.throws(construct, (e: Error) => {
                assert.match(e.message, /Missing resource name/);
                assert.match(e.stack ?? "", /registration\.test\.js/, "the stack names the program's file");
                return true;
            });
            assert.equal(Error.stackTraceLimit, before);
            assert.match(new Error("after").stack ?? "", /\n\s+at /);
        });
    }

    it("captures no stack while registering, unless PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
        const before = Error.stackTraceLimit;
        const quiet = quietRegistration();
        assert.doesNotMatch(new Error("inside").stack ?? "", /\n\s+at /);
        quiet.restore();
        assert.equal(Error.stackTraceLimit, before);

        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
        try {
            const debugging = quietRegistration();
            assert.match(new Error("inside").stack ?? "", /\n\s+at /);
            debugging.restore();
        } finally {
            delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        }
    });
});
