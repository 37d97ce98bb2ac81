import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { addVm, beginLabMigration, completeLabMigration, inspectLab, migrateLabVm, stopLabNode } from "../../provider/lab";
import { failureOf, opsByName, step, TestStack, type OperationResult } from "./harness";
import { declaredProgram, freshLab } from "./lab-fixture";

/*
 * A stack on a three-node cluster lab, through the real engine: one stack, one story (issue 25's
 * "Done when"), so the engine starts as few times as the story needs.
 */

/** Checkpoint names by VM name, and which node owns each VM. */
function where(lab: string): Record<string, { node: string; checkpoints: string[] }> {
    return Object.fromEntries(
        inspectLab(lab).vms.map((e) => [e.vm.name, { node: e.placement?.ownerNode ?? "", checkpoints: e.checkpoints.map((c) => c.name) }]),
    );
}

function resourceChanges(res: OperationResult): Record<string, number> {
    return res.events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
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

    it("follows VMs through migrations and a failover, and refuses local checkpoint storage for a clustered VM", async () => {
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

        await step("two VMs migrated out of band: the next up and refresh change nothing and fail nothing", async () => {
            await migrateLabVm(lab, { name: "web" }, "node2");
            await migrateLabVm(lab, { name: "sql" }, "node3", { quick: true });
            const up = await stack.up();
            assert.deepEqual(up.changes, []);
            const refreshed = await stack.refresh();
            assert.deepEqual(Object.keys(resourceChanges(refreshed)), ["same"], refreshed.stdout);
        });

        await step("a checkpoint of a migrated VM is deleted from its new node", async () => {
            const { webCp: _gone, ...rest } = checkpoints;
            await declare(policies, rest);
            const res = await stack.up();
            assert.deepEqual(opsByName(res).webCp, ["delete"]);
            assert.deepEqual(where(lab).web, { node: "node2", checkpoints: [] });
        });

        await step("a local file location for a clustered VM fails preview with the reason and the option", async () => {
            await declare({ ...policies, sqlPolicy: { vmName: "sql", type: "production", fileLocation: "D:\\Checkpoints\\sql" } }, checkpoints);
            const failure = await failureOf(() => stack.preview());
            assert.match(failure, /fileLocation D:\\Checkpoints\\sql is on one node's own disks, but VM "sql" is clustered on HV-CLUSTER/);
            assert.match(failure, /lost when it fails over/);
            assert.match(failure, /allowLocalFileLocation: true/);
        });

        await step("a VM migrated while up takes its checkpoint: the take waits for it and runs once, on the new owner", async () => {
            const { webCp: _gone, ...rest } = checkpoints;
            await declare(policies, { ...rest, appDuring: { vmName: "app", name: "during move", dependsOnPolicy: "appPolicy" } });
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

        await step("a node stops: its clustered VMs fail over with their shared checkpoints, and the next up converges", async () => {
            const failover = await stopLabNode(lab, "node3");
            assert.deepEqual(
                failover.moved.map((m) => [m.vm, m.lostCheckpoints]),
                [["sql", 0]],
            );
            assert.deepEqual(
                failover.stranded.map((s) => s.vm),
                ["build"],
            );
            const { webCp: _gone, ...rest } = checkpoints;
            await declare(policies, {
                ...rest,
                appDuring: { vmName: "app", name: "during move", dependsOnPolicy: "appPolicy" },
                sqlAfter: { vmName: "sql", name: "after failover", dependsOnPolicy: "sqlPolicy" },
            });
            const res = await stack.up();
            assert.deepEqual(
                res.changes.map((s) => s.name),
                ["sqlAfter"],
            );
            assert.notEqual(where(lab).sql?.node, "node3");
            assert.deepEqual(where(lab).sql?.checkpoints, ["before patch", "after failover"]);
        });

        await step("a VM on the stopped node, not failed over, is refused naming the node", async () => {
            await declare(policies, { buildLater: { vmName: "build", name: "later" } });
            const failure = await failureOf(() => stack.up());
            assert.match(failure, /node3/);
            assert.match(failure, /build/);
        });
    });
});
