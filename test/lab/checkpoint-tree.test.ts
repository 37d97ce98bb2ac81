import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import fc from "fast-check";
import { addVm, labPathOf, readLab, setHostSettings, type LabHost } from "../../provider/lab";
import { filesIn, labWithVm, rejectsWith, removeLabs } from "./helpers";
import { checkpointOf, checkpointsOf } from "../host/reads";

const DISKS = "C:\\Hyper-V\\Virtual Hard Disks";

async function chain(host: LabHost, vmId: string, names: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const name of names) ids.push((await host.takeCheckpoint({ id: vmId }, { name })).checkpoint.id);
    return ids;
}

describe("lab host: the checkpoint tree and its files", () => {
    afterEach(removeLabs);

    it("lists checkpoints oldest first, each the parent of the next, the VM descending from the newest", async () => {
        const { host, vmId } = await labWithVm();
        const ids = await chain(host, vmId, ["one", "two", "three"]);
        const listed = await checkpointsOf(host, vmId);
        assert.deepEqual(
            listed.map((c) => c.id),
            ids,
        );
        assert.deepEqual(
            listed.map((c) => c.parentId),
            [null, ids[0], ids[1]],
        );
        assert.equal((await host.getVm({ id: vmId })).parentCheckpointId, ids[2]);
        const both = await host.getVmWithCheckpoints({ name: "web01" });
        assert.deepEqual(
            both.checkpoints.map((c) => c.name),
            ["one", "two", "three"],
        );
    });

    it("lays files out as Hyper-V does: .avhdx next to the parent disk, the VM on the newest", async () => {
        const { folder, host, vmId } = await labWithVm();
        const base = `${DISKS}\\web01.vhdx`;
        assert.deepEqual((await host.getVm({ id: vmId })).hardDrives, [base]);
        const first = await host.takeCheckpoint({ id: vmId }, { name: "one" });
        assert.deepEqual(first.checkpoint.hardDrives, [base]);
        const current = (await host.getVm({ id: vmId })).hardDrives[0] ?? "";
        assert.match(current, /^C:\\Hyper-V\\Virtual Hard Disks\\web01_[0-9A-F-]{36}\.avhdx$/);
        const second = await host.takeCheckpoint({ id: vmId }, { name: "two" });
        assert.deepEqual(second.checkpoint.hardDrives, [current]);
        const newest = (await host.getVm({ id: vmId })).hardDrives[0] ?? "";
        assert.match(newest, /^C:\\Hyper-V\\Virtual Hard Disks\\web01_[0-9A-F-]{36}\.avhdx$/);
        assert.equal(filesIn(labPathOf(folder, DISKS)).length, 3);
        assert.ok(fs.existsSync(labPathOf(folder, newest)));
    });

    it("applying a checkpoint continues the VM on a new differencing disk and new checkpoints branch from it", async () => {
        const { folder, host, vmId } = await labWithVm({ checkpointType: "Standard" });
        const [one, two] = await chain(host, vmId, ["one", "two"]);
        const discarded = (await host.getVm({ id: vmId })).hardDrives[0] ?? "";
        const after = await host.applyCheckpoint(vmId, one as string);
        assert.equal(after.parentCheckpointId, one);
        assert.ok(!fs.existsSync(labPathOf(folder, discarded)), "the abandoned current state is discarded");
        const current = after.hardDrives[0] ?? "";
        assert.notEqual(current, discarded);
        assert.ok(fs.existsSync(labPathOf(folder, current)));
        const branch = await host.takeCheckpoint({ id: vmId }, { name: "branch" });
        assert.equal(branch.checkpoint.parentId, one);
        assert.deepEqual(
            (await checkpointsOf(host, vmId)).map((c) => [c.name, c.parentId]),
            [
                ["one", null],
                ["two", one],
                ["branch", one],
            ],
        );
        assert.ok(two);
    });

    it("restores a production checkpoint to Off", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Production" });
        const [cp] = await chain(host, vmId, ["prod"]);
        assert.equal((await host.applyCheckpoint(vmId, cp as string)).state, "Off");
    });

    it("restores a standard checkpoint with memory to Saved by default", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Standard" });
        const [cp] = await chain(host, vmId, ["std"]);
        assert.equal((await host.applyCheckpoint(vmId, cp as string)).state, "Saved");
    });

    it("restores a standard checkpoint with memory to Running when the host is set so", async () => {
        const { folder, host, vmId } = await labWithVm({ checkpointType: "Standard" });
        await setHostSettings(folder, { behaviour: { restoredStandardState: "Running" } });
        const [cp] = await chain(host, vmId, ["std"]);
        assert.equal((await host.applyCheckpoint(vmId, cp as string)).state, "Running");
    });

    it("restores a checkpoint taken while the VM was off to Off, and starts the VM when asked", async () => {
        const { host, vmId } = await labWithVm({ state: "Off", checkpointType: "Standard" });
        const [cp] = await chain(host, vmId, ["off"]);
        assert.equal((await host.applyCheckpoint(vmId, cp as string)).state, "Off");
        assert.equal((await host.applyCheckpoint(vmId, cp as string, { start: true })).state, "Running");
    });

    it("removing a checkpoint merges it: children and the VM re-parent to its parent, its files go", async () => {
        const { folder, host, vmId } = await labWithVm({ checkpointType: "Standard", checkpointFileLocation: "D:\\cp" });
        const [one, two, three] = await chain(host, vmId, ["one", "two", "three"]);
        const disksBefore = filesIn(labPathOf(folder, DISKS)).length;
        await host.removeCheckpoint(vmId, two as string);
        const listed = await checkpointsOf(host, vmId);
        assert.deepEqual(
            listed.map((c) => [c.id, c.parentId]),
            [
                [one, null],
                [three, one],
            ],
        );
        assert.equal(filesIn(labPathOf(folder, DISKS)).length, disksBefore - 1);
        assert.ok(!filesIn(labPathOf(folder, "D:\\cp")).some((f) => f.startsWith((two as string).toUpperCase())));
        await host.removeCheckpoint(vmId, three as string);
        assert.equal((await host.getVm({ id: vmId })).parentCheckpointId, one);
        for (const disk of (await host.getVm({ id: vmId })).hardDrives) assert.ok(fs.existsSync(labPathOf(folder, disk)));
        await rejectsWith(() => checkpointOf(host, vmId, two as string), "CheckpointNotFound");
    });

    it("removing the only checkpoint merges the VM back onto its base disk", async () => {
        const { folder, host, vmId } = await labWithVm();
        const [cp] = await chain(host, vmId, ["only"]);
        await host.removeCheckpoint(vmId, cp as string);
        const vm = await host.getVm({ id: vmId });
        assert.deepEqual(vm.hardDrives, [`${DISKS}\\web01.vhdx`]);
        assert.equal(vm.parentCheckpointId, null);
        assert.deepEqual(filesIn(labPathOf(folder, DISKS)), ["web01.vhdx"]);
    });

    it("removes the whole subtree when the host is set to", async () => {
        const { folder, host, vmId } = await labWithVm();
        await setHostSettings(folder, { behaviour: { removeWithChildren: "removeSubtree" } });
        const [one, two] = await chain(host, vmId, ["one", "two", "three"]);
        await host.removeCheckpoint(vmId, two as string);
        assert.deepEqual(
            (await checkpointsOf(host, vmId)).map((c) => c.id),
            [one],
        );
        assert.equal((await host.getVm({ id: vmId })).parentCheckpointId, one);
    });

    it("allows repeated checkpoint names and renames by id", async () => {
        const { host, vmId } = await labWithVm();
        const [a, b] = await chain(host, vmId, ["same", "same"]);
        const renamed = await host.renameCheckpoint(vmId, b as string, "different");
        assert.equal(renamed.name, "different");
        assert.deepEqual(
            (await checkpointsOf(host, vmId)).map((c) => [c.id, c.name]),
            [
                [a, "same"],
                [b, "different"],
            ],
        );
        await rejectsWith(() => host.renameCheckpoint(vmId, a as string, "x".repeat(101)), "HostFailure");
    });

    it("does not find another VM's checkpoint through this VM", async () => {
        const { host, vmId } = await labWithVm();
        const other = await addVm(host.folder, { name: "other", state: "Running" });
        const [cp] = await chain(host, other.id, ["theirs"]);
        await rejectsWith(() => checkpointOf(host, vmId, cp as string), "CheckpointNotFound");
        await rejectsWith(() => host.removeCheckpoint(vmId, cp as string), "CheckpointNotFound");
    });

    it("keeps the tree, the VM's position and the files consistent through any sequence of operations", async function () {
        this.timeout(60000);
        const op = fc.oneof(
            fc.record({ kind: fc.constant("take" as const) }),
            fc.record({ kind: fc.constant("apply" as const), pick: fc.nat() }),
            fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
        );
        await fc.assert(
            fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), fc.boolean(), async (ops, subtree) => {
                const { folder, host, vmId } = await labWithVm({ checkpointType: "Standard" });
                if (subtree) await setHostSettings(folder, { behaviour: { removeWithChildren: "removeSubtree" } });
                let n = 0;
                for (const step of ops) {
                    const existing = await checkpointsOf(host, vmId);
                    const target = existing.length > 0 && step.kind !== "take" ? existing[step.pick % existing.length] : undefined;
                    if (step.kind === "take") await host.takeCheckpoint({ id: vmId }, { name: `cp${n++}` });
                    else if (target && step.kind === "apply") await host.applyCheckpoint(vmId, target.id);
                    else if (target) await host.removeCheckpoint(vmId, target.id);
                    assertConsistent(folder, vmId);
                }
                removeLabs();
            }),
            { numRuns: 25 },
        );
    });
});

/** Every invariant of the document and the folder that Hyper-V's own bookkeeping keeps. */
function assertConsistent(folder: string, vmId: string): void {
    const doc = readLab(folder);
    const vm = doc.vms.find((v) => v.id === vmId);
    assert.ok(vm);
    const cps = doc.checkpoints.filter((c) => c.vmId === vmId);
    const ids = new Set(cps.map((c) => c.id));
    for (const [i, cp] of cps.entries()) {
        if (cp.parentId !== null) {
            assert.ok(ids.has(cp.parentId), `parent of ${cp.name} exists`);
            assert.ok(cps.findIndex((c) => c.id === cp.parentId) < i, "a parent is older than its children");
        }
        for (const disk of cp.hardDrives) assert.ok(fs.existsSync(labPathOf(folder, disk)), `disk of ${cp.name} exists`);
        assert.ok(fs.existsSync(labPathOf(folder, `${cp.path}\\${cp.id.toUpperCase()}.vmcx`)), `.vmcx of ${cp.name}`);
    }
    if (vm.parentCheckpointId !== null) assert.ok(ids.has(vm.parentCheckpointId), "the VM descends from an existing checkpoint");
    if (cps.length === 0) assert.equal(vm.parentCheckpointId, null);
    for (const disk of vm.hardDrives) assert.ok(fs.existsSync(labPathOf(folder, disk)), "the VM's disk exists");
    const known = new Set(vm.diskFiles.map((d) => d.path.slice(d.path.lastIndexOf("\\") + 1)));
    assert.deepEqual(filesIn(labPathOf(folder, DISKS)), [...known].sort(), "no orphaned or missing disk files");
    for (const d of vm.diskFiles)
        if (d.parentPath)
            assert.ok(
                vm.diskFiles.some((p) => p.path === d.parentPath),
                "every differencing disk has its parent",
            );
    const vmcx = filesIn(labPathOf(folder, vm.checkpointFileLocation)).filter((f) => f.endsWith(".vmcx"));
    assert.equal(vmcx.length, cps.length, "one .vmcx per checkpoint");
}
