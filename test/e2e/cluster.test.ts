import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { beginLabMigration, completeLabMigration, inspectLab } from "../../provider/lab";
import { addClusterVms, CLUSTER_CHECKPOINTS, CLUSTER_POLICIES, where } from "./cluster-placement";
import { step, TestStack } from "./harness";
import { declaredProgram, freshLab } from "./lab-fixture";

/*
 * A stack on a three-node cluster lab, through the real engine: a VM migrated while `up` changes
 * it. The rest of issue 25's "Done when" (create on every node, migrations between two ups, a
 * checkpoint deleted from a VM's new node, the shared-storage rule in preview, failover) runs on
 * three real SSH shells in powershell-cluster.test.ts, and is not repeated here (CI time).
 */

describe("a stack on a failover cluster (three-node cluster lab)", function () {
    this.timeout(600_000);
    let lab: string;
    let stack: TestStack;

    before(async () => {
        lab = await freshLab({ clusterNodes: 3 });
        await addClusterVms(lab);
        stack = await TestStack.create({
            program: declaredProgram,
            config: { "hyperv:host": { value: `lab:${lab}` }, "hyperv:migrationWaitSeconds": { value: "60" } },
        });
    });
    after(async () => {
        await stack?.dispose();
        if (lab) fs.rmSync(lab, { recursive: true, force: true });
    });

    const policies = CLUSTER_POLICIES;
    const checkpoints = CLUSTER_CHECKPOINTS;
    const declare = (p: Record<string, unknown>, c: Record<string, unknown>) =>
        stack.stack.setAllConfig({ "e2e:policies": { value: JSON.stringify(p) }, "e2e:checkpoints": { value: JSON.stringify(c) } });

    it("a VM migrated while up takes its checkpoint waits for it, and the take runs once, on the new owner", async () => {
        await step("policies and checkpoints for VMs on every node are created, each on its VM's node", async () => {
            await declare(policies, checkpoints);
            const res = await stack.up();
            assert.equal(res.changes.length, 7);
            assert.deepEqual(where(lab), {
                web: { node: "node1", checkpoints: ["before patch"] },
                sql: { node: "node2", checkpoints: ["before patch"] },
                app: { node: "node3", checkpoints: ["before patch"] },
                build: { node: "node3", checkpoints: ["before patch"] },
            });
        });

        await step("a VM migrated while up takes its checkpoint: the take waits for it and runs once, on the new owner", async () => {
            await declare(policies, { ...checkpoints, appDuring: { vmName: "app", name: "during move", dependsOnPolicy: "appPolicy" } });
            await beginLabMigration(lab, { name: "app" }, "node1");
            // The migration lands a second after the engine starts creating the checkpoint: the take is under way by then.
            let landing: Promise<unknown> | undefined;
            let landed = "";
            const res = await stack.up({
                onEvent: (e) => {
                    if (landing || e.resourcePreEvent?.metadata.urn.endsWith("::appDuring") !== true) return;
                    landing = new Promise((resolve) => setTimeout(resolve, 1000))
                        .then(() => completeLabMigration(lab, { name: "app" }))
                        .then(() => {
                            landed = new Date().toISOString();
                        });
                },
            });
            await landing;
            assert.deepEqual(
                res.changes.map((s) => s.name),
                ["appDuring"],
            );
            assert.deepEqual(where(lab).app, { node: "node1", checkpoints: ["before patch", "during move"] });
            const taken = inspectLab(lab)
                .vms.find((e) => e.vm.name === "app")
                ?.checkpoints.find((c) => c.name === "during move");
            assert.ok(
                landed !== "" && taken !== undefined && taken.creationTime >= landed.slice(0, 19),
                "taken after the migration landed, having waited for it",
            );
        });
    });
});
