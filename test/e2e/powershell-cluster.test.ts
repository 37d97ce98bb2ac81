import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { beginLabMigration, completeLabMigration, inspectLab, migrateLabVm, startLabNode, stopLabNode } from "../../provider/lab";
import { RealShells } from "../powershell/support/real-shells";
import { addClusterVms, CLUSTER_CHECKPOINTS, CLUSTER_POLICIES, where } from "./cluster-placement";
import { failureOf, opsByName, step, TestStack, type OperationResult } from "./harness";
import { declaredProgram, freshLab } from "./lab-fixture";

/*
 * Issue 25's "Done when" on real shells: the real Pulumi engine, a stack naming a cluster by its
 * three nodes (hyperv:nodes, each an ssh:// address with the stack's one key), and each node a
 * loopback sshd whose PowerShell is that node of a cluster lab (test/contract/cluster.contract.test.ts
 * says how). One stack, one story, so the engine starts as few times as the story needs.
 */

const shells = new RealShells();

function resourceChanges(res: OperationResult): Record<string, number> {
    return res.events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
}

describe("a stack on a failover cluster of three SSH nodes (hyperv:nodes), through the real engine", function () {
    this.timeout(600_000);
    shells.clusterHooks();
    let lab: string;
    let stack: TestStack;

    before(async () => {
        lab = await freshLab({ clusterNodes: 3 });
        await addClusterVms(lab, [{ name: "tools", state: "Running", node: "node1" }]);
        shells.useLab(lab);
        const cluster = shells.cluster;
        stack = await TestStack.create({
            program: declaredProgram,
            config: {
                "hyperv:nodes": { value: cluster.names.map((n) => cluster.address(n)).join(",") },
                "hyperv:keyFile": { value: cluster.clientKey },
                "hyperv:knownHostsFile": { value: cluster.knownHosts },
                "hyperv:migrationWaitSeconds": { value: "10" },
                // One shell per node per engine run: each provider process starts its own (CI time).
                "hyperv:maxSessions": { value: "1" },
            },
            // pwsh is found on the PATH the engine (and so the provider process) gets, as on a user's machine.
            env: { PATH: `${path.dirname(shells.pwsh)}${path.delimiter}${process.env.PATH ?? ""}` },
        });
    });
    after(async () => {
        await stack?.dispose();
        if (lab) fs.rmSync(lab, { recursive: true, force: true });
    });

    const policies = {
        ...CLUSTER_POLICIES,
        // A VM local to its node (no cluster role, as Get-ClusterGroup tells) may keep its checkpoints on that node's disk.
        toolsPolicy: { vmName: "tools", type: "standard", fileLocation: "D:\\Checkpoints\\tools" },
    };
    const checkpoints = CLUSTER_CHECKPOINTS;
    /** The checkpoint taken while its VM migrates, kept in every later declaration. */
    const during = { webDuring: { vmName: "web", name: "during move", dependsOnPolicy: "webPolicy" } };
    const declare = (p: Record<string, unknown>, c: Record<string, unknown>) =>
        stack.stack.setAllConfig({ "e2e:policies": { value: JSON.stringify(p) }, "e2e:checkpoints": { value: JSON.stringify(c) } });

    it("creates on every node, follows two migrations, one under way during up, and a failover, and refuses local checkpoint storage for a clustered VM", async () => {
        const node3 = shells.cluster.node("node3");
        let node3Stopped = false;
        try {
            await step("policies and checkpoints for VMs on all three nodes are created, each through its VM's node", async () => {
                await declare(policies, checkpoints);
                shells.server.resetCalls();
                const res = await stack.up();
                assert.equal(res.changes.length, 8, res.stdout);
                assert.deepEqual(where(lab), {
                    web: { node: "node1", checkpoints: ["before patch"] },
                    sql: { node: "node2", checkpoints: ["before patch"] },
                    app: { node: "node3", checkpoints: ["before patch"] },
                    build: { node: "node3", checkpoints: ["before patch"] },
                    tools: { node: "node1", checkpoints: [] },
                });
                const takenOn = shells.server.calls.filter((c) => c.cmdlet === "Checkpoint-VM").map((c) => c.node);
                assert.deepEqual([...takenOn].sort(), ["node1", "node2", "node3", "node3"], "each checkpoint taken by its VM's own node");
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
                shells.server.resetCalls();
                const res = await stack.up();
                assert.deepEqual(opsByName(res).webCp, ["delete"]);
                assert.deepEqual(where(lab).web, { node: "node2", checkpoints: [] });
                assert.deepEqual(
                    shells.server.calls.filter((c) => c.cmdlet === "Remove-VMSnapshot").map((c) => c.node),
                    ["node2"],
                );
            });

            await step("a VM migrated while up takes its checkpoint: the take waits for it and runs once, on the new owner", async () => {
                const { webCp: _gone, ...rest } = checkpoints;
                await declare(policies, { ...rest, ...during });
                await beginLabMigration(lab, { name: "web" }, "node1");
                shells.server.resetCalls();
                // The migration lands once the provider has seen it under way twice (its node's MigrationState,
                // asked before the take and again while waiting): the take is due while the VM is still moving.
                let upDone = false;
                let landed = "";
                const landing = (async () => {
                    const seen = () => shells.server.calls.filter((c) => c.cmdlet === "Get-ClusterParameter").length;
                    while (seen() < 2 && !upDone) await new Promise((resolve) => setTimeout(resolve, 50));
                    await completeLabMigration(lab, { name: "web" });
                    landed = new Date().toISOString();
                })();
                const res = await stack.up().finally(() => {
                    upDone = true;
                });
                await landing;
                assert.deepEqual(
                    res.changes.map((s) => s.name),
                    ["webDuring"],
                );
                assert.deepEqual(where(lab).web, { node: "node1", checkpoints: ["during move"] });
                assert.deepEqual(
                    shells.server.calls.filter((c) => c.cmdlet === "Checkpoint-VM").map((c) => c.node),
                    ["node1"],
                    "taken once, by the node the VM landed on",
                );
                const taken = inspectLab(lab)
                    .vms.find((e) => e.vm.name === "web")
                    ?.checkpoints.find((c) => c.name === "during move");
                assert.ok(
                    landed !== "" && taken !== undefined && taken.creationTime >= landed.slice(0, 19),
                    "taken after the migration landed, having waited for it",
                );
            });

            await step("a local file location for a clustered VM fails preview with the reason and the option", async () => {
                const { webCp: _gone, ...rest } = checkpoints;
                await declare({ ...policies, sqlPolicy: { vmName: "sql", type: "production", fileLocation: "D:\\Checkpoints\\sql" } }, { ...rest, ...during });
                const failure = await failureOf(() => stack.preview());
                assert.match(failure, /fileLocation D:\\Checkpoints\\sql is on one node's own disks, but VM "sql" is clustered/);
                assert.match(failure, /allowLocalFileLocation: true/);
            });

            await step("node3's sshd stops and node3 fails over: its clustered VMs come up elsewhere, and the next up converges", async () => {
                await node3.stop();
                node3Stopped = true;
                const failover = await stopLabNode(lab, "node3");
                assert.deepEqual(failover.moved.map((m) => m.vm).sort(), ["app", "sql"]);
                const { webCp: _gone, ...rest } = checkpoints;
                await declare(policies, { ...rest, ...during, sqlAfter: { vmName: "sql", name: "after failover", dependsOnPolicy: "sqlPolicy" } });
                const res = await stack.up();
                assert.deepEqual(
                    res.changes.map((s) => s.name),
                    ["sqlAfter"],
                );
                assert.notEqual(where(lab).sql?.node, "node3");
                assert.deepEqual(where(lab).sql?.checkpoints, ["before patch", "after failover"]);
            });

            await step("a VM local to the stopped node, not failed over, is refused naming the node", async () => {
                const { webCp: _gone, ...rest } = checkpoints;
                await declare(policies, {
                    ...rest,
                    ...during,
                    sqlAfter: { vmName: "sql", name: "after failover", dependsOnPolicy: "sqlPolicy" },
                    buildLater: { vmName: "build", name: "later" },
                });
                const failure = await failureOf(() => stack.up());
                assert.match(failure, /build/);
                assert.match(failure, new RegExp(`127\\.0\\.0\\.1:${node3.port}`));
            });
        } finally {
            if (node3Stopped) {
                await node3.restart();
                await startLabNode(lab, "node3");
            }
        }
    });
});
