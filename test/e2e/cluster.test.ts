import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { addVm, beginLabMigration, completeLabMigration, inspectLab } from "../../provider/lab";
import { step, TestStack } from "./harness";
import { declaredProgram, freshLab } from "./lab-fixture";

/*
 * A stack on a three-node cluster lab, through the real engine: a VM migrated while `up` changes
 * it. The rest of issue 25's "Done when" (create on every node, migrations between two ups, a
 * checkpoint deleted from a VM's new node, the shared-storage rule in preview, failover) runs on
 * three real SSH shells in powershell-cluster.test.ts, and is not repeated here (CI time).
 */

/** Checkpoint names by VM name, and which node owns each VM. */
function where(lab: string): Record<string, { node: string; checkpoints: string[] }> {
    return Object.fromEntries(
        inspectLab(lab).vms.map((e) => [e.vm.name, { node: e.placement?.ownerNode ?? "", checkpoints: e.checkpoints.map((c) => c.name) }]),
    );
}

describe("a stack on a failover cluster (three-node cluster lab)", function () {
    this.timeout(600_000);
    let lab: string;
    let stack: TestStack;

    before(async () => {
        lab = await freshLab({ clusterNodes: 3 });
        await addVm(lab, { name: "web", state: "Running", node: "node1", clustered: true });
        await addVm(lab, { name: "sql", state: "Running", node: "node2", clustered: true });
        await addVm(lab, { name: "app", state: "Running", node: "node3", clustered: true });
        await addVm(lab, { name: "build", state: "Running", node: "node3" });
        stack = await TestStack.create({
            program: declaredProgram,
            config: { "hyperv:host": { value: `lab:${lab}` }, "hyperv:migrationWaitSeconds": { value: "60" } },
        });
    });
    after(async () => {
        await stack?.dispose();
        if (lab) fs.rmSync(lab, { recursive: true, force: true });
    });

    const policies = {
        webPolicy: { vmName: "web", type: "production", fileLocation: "C:\\ClusterStorage\\Volume1\\Checkpoints\\web" },
        sqlPolicy: { vmName: "sql", type: "production" },
        appPolicy: { vmName: "app", type: "standard", fileLocation: "C:\\ClusterStorage\\Volume1\\Checkpoints\\app" },
    };
    const checkpoints: Record<string, Record<string, unknown>> = {
        webCp: { vmName: "web", name: "before patch", dependsOnPolicy: "webPolicy" },
        sqlCp: { vmName: "sql", name: "before patch", dependsOnPolicy: "sqlPolicy" },
        appCp: { vmName: "app", name: "before patch", dependsOnPolicy: "appPolicy" },
        buildCp: { vmName: "build", name: "before patch" },
    };
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
