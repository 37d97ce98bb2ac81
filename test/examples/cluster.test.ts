import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { inspectLab, migrateLabVm, stopLabNode } from "../../provider/lab";
import { step } from "../e2e/harness";
import { freshLab } from "../e2e/lab-fixture";
import { ExampleStack, installExample } from "./installed-example";

/** Which node owns each VM, and its checkpoints' names. */
function where(lab: string): Record<string, { node: string; checkpoints: string[] }> {
    return Object.fromEntries(
        inspectLab(lab).vms.map((e) => [e.vm.name, { node: e.placement?.ownerNode ?? "", checkpoints: e.checkpoints.map((c) => c.name) }]),
    );
}

describe("examples/cluster: checkpoints on a three-node failover cluster", function () {
    this.timeout(900_000);
    let lab: string;
    let stack: ExampleStack;
    before(async () => {
        const workDir = await installExample("cluster");
        lab = await freshLab({ clusterNodes: 3, sample: true });
        stack = await ExampleStack.create(workDir, { "hyperv:host": { value: `lab:${lab}` } });
    });
    after(async () => {
        await stack?.dispose();
        if (lab) fs.rmSync(lab, { recursive: true, force: true });
    });

    // README's walk-through, as one lifecycle: each step needs the stack the one before left.
    it("creates on every node, then finds the VMs after two migrations and a failover with nothing to change", async () => {
        await step("up creates the policies and checkpoints on the nodes that own the VMs", async () => {
            const res = await stack.up();
            assert.equal(res.changes.length, 6);
            const now = where(lab);
            assert.deepEqual(now.web01, { node: "node1", checkpoints: ["Before IIS update", "Before cluster patching"] });
            assert.deepEqual(now.sql01, { node: "node2", checkpoints: ["Before cluster patching"] });
            assert.equal(
                inspectLab(lab).vms.find((e) => e.vm.name === "reports")?.vm.checkpointFileLocation,
                "C:\\ClusterStorage\\Volume1\\Checkpoints\\reports",
            );
        });

        await step("a live and a quick migration: the next up changes nothing", async () => {
            await migrateLabVm(lab, { name: "web01" }, "node2");
            await migrateLabVm(lab, { name: "sql01" }, "node3", { quick: true });
            const res = await stack.up();
            assert.deepEqual(res.changes, []);
        });

        await step("node3 fails: sql01 fails over with its checkpoint, and the next up changes nothing", async () => {
            const failover = await stopLabNode(lab, "node3");
            assert.ok(failover.moved.some((m) => m.vm === "sql01" && m.lostCheckpoints === 0));
            const res = await stack.up();
            assert.deepEqual(res.changes, []);
            assert.deepEqual(where(lab).sql01?.checkpoints, ["Before cluster patching"]);
        });

        await step("a checkpoint root on a node's own disk fails preview, saying why", async () => {
            await stack.stack.setConfig("cluster:checkpointRoot", { value: "D:\\Checkpoints" });
            await assert.rejects(stack.stack.preview(), /on one node's own disks, but VM "\w+" is clustered on HV-CLUSTER: its checkpoints would be lost/);
        });
    });
});
