import * as assert from "node:assert/strict";
import { renameLabCheckpoint, setVm } from "../../provider/lab";
import { useDeclaredStack } from "./lab-fixture";

/*
 * Drift you can see: after `pulumi refresh` finds out-of-band changes, `pulumi preview --diff`
 * names each drifted property and how, not a bare "update" (read returns the declaration as the
 * host now has it; the engine diffs it against the program).
 */
describe("drift after a refresh shows property by property in preview --diff", function () {
    this.timeout(300_000);
    const env = useDeclaredStack([{ name: "web01", state: "Running", version: "9.0" }]);

    it("names the policy's type, its automatic checkpoints and a checkpoint's name as they drifted, and the next up repairs them", async () => {
        await env.stack.stack.setAllConfig({
            "e2e:policies": {
                value: JSON.stringify({ webPolicy: { vmName: "web01", type: "production", fallbackToStandard: false, automaticCheckpoints: false } }),
            },
            "e2e:checkpoints": { value: JSON.stringify({ nightly: { vmName: "web01", name: "nightly", dependsOnPolicy: "webPolicy" } }) },
        });
        await env.stack.up();

        // Out of band: someone switches the VM to standard checkpoints, turns automatic ones on and renames the checkpoint.
        await setVm(env.lab, { name: "web01" }, { checkpointType: "Standard", automaticCheckpointsEnabled: true });
        await renameLabCheckpoint(env.lab, { name: "web01" }, { name: "nightly" }, "renamed by hand");
        await env.stack.refresh();

        const preview = await env.stack.stack.preview({ diff: true });
        const out = preview.stdout;
        assert.match(out, /~ type\s*: "standard" => "production"/);
        assert.match(out, /\+ fallbackToStandard\s*: false/);
        assert.match(out, /~ automaticCheckpoints\s*: true => false/);
        assert.match(out, /~ name\s*: "renamed by hand" => "nightly"/);

        await env.stack.up();
        const again = await env.stack.stack.preview({ diff: true });
        assert.equal(again.changeSummary.update ?? 0, 0, again.stdout);
    });
});
