import * as assert from "node:assert/strict";
import { addVm, beginLabMigration, inspectLab, migrateLabVm, openLabNode, stopLabNode, takeCheckpointOutOfBand } from "../../provider/lab";
import { freshLab, rejectsWith, removeLabs } from "./helpers";

describe("the lab as a failover cluster", () => {
    afterEach(removeLabs);

    it("lets each node see only the VMs it owns, and a migration move the VM with its checkpoints", async () => {
        const { folder } = await freshLab({ clusterNodes: 2 });
        const vm = await addVm(folder, { name: "web", state: "Running", node: "node1", clustered: true });
        await takeCheckpointOutOfBand(folder, { id: vm.id }, { name: "a" });
        const node1 = openLabNode(folder, "node1");
        const node2 = openLabNode(folder, "node2");
        assert.equal((await node1.getVm({ name: "web" })).id, vm.id);
        await rejectsWith(() => node2.getVm({ id: vm.id }), "VmNotFound");
        await migrateLabVm(folder, { name: "web" }, "node2", { quick: true });
        await rejectsWith(() => node1.takeCheckpoint({ id: vm.id }, { name: "b" }), "VmNotFound");
        assert.deepEqual(
            (await node2.getVmWithCheckpoints({ id: vm.id })).checkpoints.map((c) => c.name),
            ["a"],
        );
    });

    it("refuses checkpoint operations on a VM mid-migration, as a busy VM", async () => {
        const { folder } = await freshLab({ clusterNodes: 2 });
        const vm = await addVm(folder, { name: "web", state: "Running", node: "node1", clustered: true });
        await beginLabMigration(folder, { id: vm.id }, "node2");
        const e = await rejectsWith(() => openLabNode(folder, "node1").takeCheckpoint({ id: vm.id }, { name: "b" }), "InvalidVmState");
        assert.match(e.message, /Migrating from node1 to node2/);
    });

    it("fails a stopped node's clustered VMs over, keeping only checkpoints on shared storage; local VMs stay unreachable", async () => {
        const { folder } = await freshLab({ clusterNodes: 3 });
        const shared = await addVm(folder, { name: "csv", state: "Running", node: "node1", clustered: true });
        const local = await addVm(folder, { name: "local-files", state: "Running", node: "node1", clustered: true, checkpointFileLocation: "D:\\Checkpoints" });
        const pinned = await addVm(folder, { name: "pinned", state: "Running", node: "node1" });
        await takeCheckpointOutOfBand(folder, { id: shared.id }, { name: "kept" });
        await takeCheckpointOutOfBand(folder, { id: local.id }, { name: "lost" });
        const failover = await stopLabNode(folder, "node1");
        assert.deepEqual(
            failover.moved.map((m) => [m.vm, m.lostCheckpoints]),
            [
                ["csv", 0],
                ["local-files", 1],
            ],
        );
        assert.deepEqual(failover.moved.map((m) => m.to).sort(), ["node2", "node3"], "each goes to the least loaded node");
        const view = inspectLab(folder);
        const of = (id: string) => view.vms.find((e) => e.vm.id === id)!;
        assert.deepEqual(
            of(shared.id).checkpoints.map((c) => c.name),
            ["kept"],
        );
        assert.deepEqual(of(local.id).checkpoints, []);
        assert.equal(of(local.id).vm.parentCheckpointId, null);
        assert.equal(of(pinned.id).placement?.ownerNode, "node1");
        const e = await rejectsWith(() => openLabNode(folder, "node1").getVm({ id: pinned.id }), "HostUnreachable");
        assert.match(e.message, /cluster node node1 is down/);
    });

    it("refuses a node on a stand-alone lab and a VM without a node on a cluster", async () => {
        const single = await freshLab();
        await assert.rejects(() => addVm(single.folder, { name: "x", node: "node1" }), /stand-alone host/);
        const { folder } = await freshLab({ clusterNodes: 2 });
        await assert.rejects(() => addVm(folder, { name: "x" }), /name it. Add --node with one of node1, node2/);
    });
});
