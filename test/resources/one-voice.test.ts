import * as assert from "node:assert/strict";
import { checkpointProvider, policyProvider } from "../../provider";
import { create, failsWith, labWith, removeLabs } from "./helpers";

/* One thing said one way: what the policy reports and what a checkpoint records agree, and each refusal reads once, naming the argument at fault. */

describe("outputs and messages say one thing, one way", function () {
    this.timeout(30_000);
    afterEach(removeLabs);

    for (const type of ["Production", "ProductionOnly"] as const) {
        it(`a VM that is Off under ${type}: the policy says production checkpoints are possible, and a checkpoint taken now is recorded as production, not fallen back`, async () => {
            await labWith([{ name: "web01", state: "Off", checkpointType: type, guestBackupResponding: false }]);
            const policy = await create(policyProvider, { vmName: "web01", type: "production", fallbackToStandard: type === "Production" });
            assert.equal(policy.outs.productionCheckpointPossible, true);
            assert.equal(policy.outs.productionBlockedBy, null);
            const checkpoint = await create(checkpointProvider, { vmName: "web01", name: "offline" });
            assert.equal(checkpoint.outs.kind, "production");
            assert.equal(checkpoint.outs.fellBack, false);
            assert.equal(checkpoint.outs.holdsMemory, false);
        });
    }

    it("a VM that is Saved: the policy says production is not possible now, and a checkpoint falls back to standard", async () => {
        await labWith([{ name: "web01", state: "Saved", checkpointType: "Production" }]);
        const policy = await create(policyProvider, { vmName: "web01", type: "production" });
        assert.equal(policy.outs.productionCheckpointPossible, false);
        const checkpoint = await create(checkpointProvider, { vmName: "web01", name: "saved" });
        assert.equal(checkpoint.outs.kind, "standard");
        assert.equal(checkpoint.outs.fellBack, true);
    });

    it("a Disabled policy is named once, with what to do", async () => {
        await labWith([{ name: "web01", state: "Running", checkpointType: "Disabled" }]);
        const message = await failsWith(() => create(checkpointProvider, { vmName: "web01", name: "x" }), /policy is Disabled/);
        assert.equal(message.match(/Disabled/g)?.length, 1, message);
        assert.match(message, /dependsOn/);
    });

    it("a refused production-only checkpoint of its own type is told to change this checkpoint's type", async () => {
        await labWith([{ name: "web01", state: "Running", checkpointType: "Production", guestBackupResponding: false }]);
        const message = await failsWith(
            () => create(checkpointProvider, { vmName: "web01", name: "x", type: "productionOnly" }),
            /production-only checkpoint cannot be made now/,
        );
        assert.match(message, /Give this Checkpoint type: "production"/);
        assert.doesNotMatch(message, /fallbackToStandard/);
    });

    it("a refused checkpoint under a production-only policy is told where production-only comes from", async () => {
        await labWith([{ name: "web01", state: "Running", checkpointType: "ProductionOnly", guestBackupResponding: false }]);
        const message = await failsWith(() => create(checkpointProvider, { vmName: "web01", name: "x" }), /production-only checkpoint cannot be made now/);
        assert.match(message, /VmCheckpointPolicy is production-only \(fallbackToStandard: false\)/);
    });

    it("a refused policy change reads as the same operation whichever layer refused it", async () => {
        await labWith([{ name: "web01", state: "Running", version: "5.0" }]);
        const message = await failsWith(() => create(policyProvider, { vmName: "web01", type: "production", fallbackToStandard: false }), /can never succeed/);
        assert.match(message, /^apply checkpoint settings failed on host/);
    });
});
