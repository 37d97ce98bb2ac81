import * as assert from "node:assert/strict";
import { takeCheckpointOutOfBand } from "../../provider/lab";
import { useDeclaredStack, vmByName } from "./lab-fixture";

/*
 * A warning raised while a policy is destroyed (a file location Hyper-V cannot move back while the
 * VM has checkpoints) shows on that resource, names the checkpoints in the way and says what to do.
 */
describe("a warning of a destroy shows on the resource it is about", function () {
    this.timeout(300_000);
    const env = useDeclaredStack([{ name: "web01", state: "Running", version: "9.0" }]);

    it("a file location that cannot be put back: on the policy, with the checkpoints and the Set-VM that finishes the job", async () => {
        await env.stack.stack.setAllConfig({
            "e2e:policies": { value: JSON.stringify({ webPolicy: { vmName: "web01", fileLocation: "D:\\Moved" } }) },
            "e2e:checkpoints": { value: "{}" },
        });
        await env.stack.up();
        await takeCheckpointOutOfBand(env.lab, { name: "web01" }, { name: "taken by hand" });
        const res = await env.stack.destroy();
        assert.match(
            res.stdout,
            /VmCheckpointPolicy \(webPolicy\):\n\s+warning: VM "web01" .*fileLocation stays D:\\Moved \(was C:\\ProgramData\\Microsoft\\Windows\\Hyper-V\)/,
        );
        assert.match(res.stdout, /this VM has 1: "taken by hand"/);
        assert.match(res.stdout, /Set-VM -Id [0-9a-f-]{36} -SnapshotFileLocation 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V'/);
        assert.doesNotMatch(res.stdout, /pulumi:pulumi:Stack \([^)]*\):\n\s+warning: .*fileLocation stays/);
        assert.equal(vmByName(env.lab, "web01").checkpointFileLocation, "D:\\Moved");
    });
});
