import * as assert from "node:assert/strict";
import { readLab, takeCheckpointOutOfBand } from "../../provider/lab";
import { opsByName } from "./harness";
import { useDeclaredStack, vmByName } from "./lab-fixture";
const MOVED = "D:\\Moved\\web01";

/*
 * Every declaration converges: the engine runs updates before deletes, so a refusal that only a
 * later step of the same `up` would lift must not leave the stack stuck. Each test is a sequence
 * of named steps on a stack of its own.
 */
describe("declarations that one `up` cannot finish converge on the next, without an error", function () {
    this.timeout(300_000);
    const env = useDeclaredStack([{ name: "web01", state: "Running", version: "9.0" }], true);

    const declare = (policy: Record<string, unknown>, checkpoints: Record<string, unknown>) =>
        env.stack.stack.setAllConfig({
            "e2e:policies": { value: JSON.stringify({ webPolicy: { vmName: "web01", type: "production", ...policy } }) },
            "e2e:checkpoints": { value: JSON.stringify(checkpoints) },
        });
    const twoCheckpoints = {
        before: { vmName: "web01", name: "before upgrade", dependsOnPolicy: "webPolicy" },
        after: { vmName: "web01", name: "after upgrade", dependsOnPolicy: "webPolicy" },
    };

    it("deleting a VM's checkpoints and moving its file location in one program: two `up`s, a warning naming them, no error", async () => {
        await declare({}, twoCheckpoints);
        await env.stack.up();
        const location = vmByName(env.lab, "web01").checkpointFileLocation;

        // Step 1: the update runs before the deletes, so the move waits; the up succeeds and says why.
        await declare({ fileLocation: MOVED }, {});
        const first = await env.stack.up();
        assert.deepEqual(opsByName(first), { webPolicy: ["update"], before: ["delete"], after: ["delete"] });
        assert.match(first.stdout, /warning: fileLocation stays .* for now, everything else was applied/);
        // On the resource, naming the checkpoints in the way (taken in parallel: in either order).
        assert.match(first.stdout, /VmCheckpointPolicy \(webPolicy\):\n\s+warning: fileLocation stays/);
        assert.match(first.stdout, /2 checkpoint\(s\): "(before|after) upgrade", "(before|after) upgrade"/);
        assert.match(first.stdout, /the next `pulumi up` moves it to D:\\Moved\\web01/);
        assert.equal(vmByName(env.lab, "web01").checkpointFileLocation, location);
        assert.equal(readLab(env.lab).checkpoints.length, 0);

        // Step 2: the checkpoints are gone, so the next up moves it, with nothing left to say.
        const second = await env.stack.up();
        assert.deepEqual(
            second.changes.map((s) => s.name),
            ["webPolicy"],
        );
        assert.equal(vmByName(env.lab, "web01").checkpointFileLocation, MOVED);
        assert.doesNotMatch(second.stdout, /fileLocation stays/);

        // Step 3: converged.
        const third = await env.stack.up();
        assert.deepEqual(third.changes, []);
    });

    it("replacing one of a full VM's 50 checkpoints: the refusal's advice works (the engine creates before it deletes)", async () => {
        const vmId = vmByName(env.lab, "web01").id;
        for (let i = 1; i <= 49; i++) await takeCheckpointOutOfBand(env.lab, { id: vmId }, { name: `by hand ${i}` });
        await declare({}, { old: { vmName: "web01", name: "old", dependsOnPolicy: "webPolicy" } });
        await env.stack.up();
        assert.equal(readLab(env.lab).checkpoints.length, 50);

        // Step 1: the program swaps "old" for "new"; the create comes first and is refused, saying what to do.
        await declare({}, { new: { vmName: "web01", name: "new", dependsOnPolicy: "webPolicy" } });
        await assert.rejects(env.stack.up(), (e: Error) => /already has 50 checkpoints/.test(e.message) && /pulumi destroy --target <URN>/.test(e.message));
        assert.equal(readLab(env.lab).checkpoints.length, 50, "nothing changed");

        // Step 2: the advice: destroy the removed checkpoint by its URN first.
        const state = (await env.stack.stack.exportStack()).deployment as { resources: { urn: string }[] };
        const urn = state.resources.map((r) => r.urn).find((u) => u.endsWith("::old"))!;
        await env.stack.stack.destroy({ target: [urn] });
        assert.ok(!readLab(env.lab).checkpoints.some((c) => c.name === "old"));

        // Step 3: the next up finishes without error.
        await env.stack.up();
        assert.ok(readLab(env.lab).checkpoints.some((c) => c.name === "new"));
        assert.equal(readLab(env.lab).checkpoints.length, 50);
    });

    it("moving the file location while checkpoints stay: the first `up` defers it with a warning, the next refuses with what to do", async () => {
        await declare({}, twoCheckpoints);
        await env.stack.up();
        await declare({ fileLocation: MOVED }, twoCheckpoints);
        const first = await env.stack.up();
        assert.match(first.stdout, /fileLocation stays/);
        await assert.rejects(
            env.stack.up(),
            (e: Error) =>
                /fileLocation cannot change from .* to D:\\Moved\\web01 while the VM has 2 checkpoint\(s\): "(before|after) upgrade", "(before|after) upgrade"; it was deferred on the last `up`/.test(
                    e.message,
                ) && /delete or merge those checkpoints first/i.test(e.message),
        );
        assert.notEqual(vmByName(env.lab, "web01").checkpointFileLocation, MOVED);
    });
});
