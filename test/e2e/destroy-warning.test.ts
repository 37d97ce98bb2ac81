import * as assert from "node:assert/strict";
import { takeLabCheckpoint } from "../../provider/lab";
import type { TestStack } from "./harness";
import { declaredStackOnLab, vmByName } from "./lab-fixture";

/*
 * A warning raised while a policy is destroyed (a file location Hyper-V cannot move back while the
 * VM has checkpoints) shows on that resource, names the checkpoints in the way and says what to do.
 */
describe("a warning of a destroy shows on the resource it is about", function () {
    this.timeout(300_000);
    let lab: string;
    let stack: TestStack;
    let dispose: () => Promise<void>;

    before(async () => {
        ({ lab, stack, dispose } = await declaredStackOnLab([{ name: "web01", state: "Running", version: "9.0" }]));
    });
    after(() => dispose?.());

    it("a file location that cannot be put back: on the policy, with the checkpoints and the Set-VM that finishes the job", async () => {
        await stack.stack.setAllConfig({
            "e2e:policies": { value: JSON.stringify({ webPolicy: { vmName: "web01", fileLocation: "D:\\Moved" } }) },
            "e2e:checkpoints": { value: "{}" },
        });
        await stack.up();
        await takeLabCheckpoint(lab, { name: "web01" }, { name: "taken by hand" });
        const res = await stack.destroy();
        assert.match(res.stdout, /VmCheckpointPolicy \(webPolicy\):\n\s+warning: VM "web01" .*fileLocation stays D:\\Moved \(was C:\\ProgramData\\Microsoft\\Windows\\Hyper-V\)/);
        assert.match(res.stdout, /this VM has 1: "taken by hand"/);
        assert.match(res.stdout, /Set-VM -Id [0-9a-f-]{36} -SnapshotFileLocation 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V'/);
        assert.doesNotMatch(res.stdout, /pulumi:pulumi:Stack \([^)]*\):\n\s+warning: .*fileLocation stays/);
        assert.equal(vmByName(lab, "web01").checkpointFileLocation, "D:\\Moved");
    });
});
