import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import {
    addVm,
    journalPath,
    inspectLab,
    readLab,
    LabHost,
    labPathOf,
    setHostSettings,
    startLabVm,
    stopLabVm,
    takeCheckpointOutOfBand,
} from "../../provider/lab";
import { MAX_CHECKPOINTS_PER_VM } from "../../provider/host/rules";
import { encodeLine } from "../../provider/lab/journal";
import { filesIn, freshLab, labWithVm, rejectsWith, removeLabs } from "./helpers";
import { checkpointsOf } from "../host/reads";

describe("lab host: limits, settings and the host it poses as", () => {
    afterEach(removeLabs);

    it("refuses the 51st checkpoint of a VM with CheckpointLimit", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Standard" });
        for (let i = 0; i < MAX_CHECKPOINTS_PER_VM; i++) await host.takeCheckpoint({ id: vmId }, { name: `cp ${i}` });
        await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "one too many" }), "CheckpointLimit");
        assert.equal((await checkpointsOf(host, vmId)).length, MAX_CHECKPOINTS_PER_VM);
    });

    it("changes the checkpoint file location only while the VM has no checkpoints, saying how many it has", async () => {
        const { folder, host, vmId } = await labWithVm();
        const moved = await host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: "E:\\Checkpoints\\web01" });
        assert.equal(moved.after.checkpointFileLocation, "E:\\Checkpoints\\web01");
        const cp = await host.takeCheckpoint({ id: vmId }, { name: "one" });
        assert.deepEqual(filesIn(labPathOf(folder, "E:\\Checkpoints\\web01")), [`${cp.checkpoint.id.toUpperCase()}.vmcx`]);
        await host.takeCheckpoint({ id: vmId }, { name: "two" });
        const error = await rejectsWith(
            () => host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: "F:\\elsewhere", checkpointType: "Standard" }),
            "FileLocationLocked",
        );
        assert.match(error.message, /\(2\)/);
        const vm = await host.getVm({ id: vmId });
        assert.deepEqual([vm.checkpointFileLocation, vm.checkpointType], ["E:\\Checkpoints\\web01", "Production"], "a refused call changes nothing");
    });

    it("changes the checkpoint type of a running VM", async () => {
        const { host, vmId } = await labWithVm({ state: "Running" });
        assert.equal((await host.applyCheckpointSettings({ id: vmId }, { checkpointType: "ProductionOnly" })).after.checkpointType, "ProductionOnly");
        assert.equal((await host.getVm({ id: vmId })).checkpointType, "ProductionOnly");
    });

    it("poses as Windows Server 2012 R2: no checkpoint types, standard checkpoints only", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "ProductionOnly" }, { os: "2012r2" });
        const caps = await host.capabilities();
        assert.deepEqual([caps.osBuild, caps.supportsCheckpointType, caps.supportsAutomaticCheckpoints], [9600, false, false]);
        const vm = await host.getVm({ id: vmId });
        assert.deepEqual([vm.checkpointType, vm.automaticCheckpointsEnabled, vm.version], [null, null, "5.0"]);
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "old school" });
        assert.deepEqual([taken.kind, taken.fellBack], ["standard", false]);
        const error = await rejectsWith(() => host.applyCheckpointSettings({ id: vmId }, { checkpointType: "Standard" }), "UnsupportedByHost");
        assert.match(error.message, /CheckpointType/);
        await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "x", temporaryType: "Standard" }), "UnsupportedByHost");
    });

    it("poses as Windows Server 2016: checkpoint types but no automatic checkpoints", async () => {
        const { host, vmId } = await labWithVm({}, { os: "2016" });
        assert.equal((await host.capabilities()).osBuild, 14393);
        const vm = await host.getVm({ id: vmId });
        assert.deepEqual([vm.checkpointType, vm.automaticCheckpointsEnabled], ["Production", null]);
        const error = await rejectsWith(() => host.applyCheckpointSettings({ id: vmId }, { automaticCheckpointsEnabled: true }), "UnsupportedByHost");
        assert.match(error.message, /AutomaticCheckpointsEnabled/);
        assert.equal((await host.applyCheckpointSettings({ id: vmId }, { checkpointType: "Standard" })).after.checkpointType, "Standard");
    });

    it("takes an automatic checkpoint when a VM without checkpoints starts, and removes it on a clean shutdown", async () => {
        const { folder, host, vmId } = await labWithVm({ state: "Off", automaticCheckpointsEnabled: true, checkpointType: "Production" });
        await startLabVm(folder, { id: vmId });
        const [auto] = await checkpointsOf(host, vmId);
        assert.ok(auto, "an automatic checkpoint was taken");
        assert.equal(auto.isAutomatic, true);
        assert.equal(auto.vmState, "Off", "taken before the VM runs");
        assert.equal((await host.getVm({ id: vmId })).state, "Running");
        await stopLabVm(folder, { id: vmId });
        assert.deepEqual(await checkpointsOf(host, vmId), []);
        assert.deepEqual((await host.getVm({ id: vmId })).hardDrives, ["C:\\Hyper-V\\Virtual Hard Disks\\web01.vhdx"]);
    });

    it("keeps the automatic checkpoint when the VM is turned off, and takes none when checkpoints exist", async () => {
        const { folder, host, vmId } = await labWithVm({ state: "Off", automaticCheckpointsEnabled: true });
        await startLabVm(folder, { id: vmId });
        await stopLabVm(folder, { id: vmId }, { turnOff: true });
        assert.equal((await checkpointsOf(host, vmId)).length, 1);
        await startLabVm(folder, { id: vmId });
        assert.equal((await checkpointsOf(host, vmId)).length, 1);
    });

    it("takes no automatic checkpoint when they are off", async () => {
        const { folder, host, vmId } = await labWithVm({ state: "Off", automaticCheckpointsEnabled: false });
        await startLabVm(folder, { id: vmId });
        assert.deepEqual(await checkpointsOf(host, vmId), []);
    });

    it("lists recovery and replica checkpoints with their SnapshotType", async () => {
        const { folder, host, vmId } = await labWithVm();
        await host.takeCheckpoint({ id: vmId }, { name: "mine" });
        await takeCheckpointOutOfBand(folder, { id: vmId }, { name: "backup job", snapshotType: "Recovery" });
        await takeCheckpointOutOfBand(folder, { id: vmId }, { name: "replica", snapshotType: "Replica" });
        assert.deepEqual(
            (await checkpointsOf(host, vmId)).map((c) => [c.name, c.snapshotType]),
            [
                ["mine", "Standard"],
                ["backup job", "Recovery"],
                ["replica", "Replica"],
            ],
        );
    });

    it("refuses a VM name that several VMs share, listing their ids", async () => {
        const { folder, host } = await freshLab();
        const a = await addVm(folder, { name: "app" });
        const b = await addVm(folder, { name: "APP" });
        const error = await rejectsWith(() => host.getVm({ name: "app" }), "AmbiguousVmName");
        assert.ok(error.message.includes(a.id) && error.message.includes(b.id), error.message);
        assert.equal((await host.getVm({ id: b.id })).name, "APP");
        assert.notEqual(a.hardDrives[0], b.hardDrives[0], "each VM has its own disk file");
    });

    it("reports a missing VM by name or id as VmNotFound", async () => {
        const { host } = await freshLab();
        await rejectsWith(() => host.getVm({ name: "ghost" }), "VmNotFound");
        await rejectsWith(() => host.takeCheckpoint({ id: "00000000-0000-0000-0000-000000000001" }, { name: "x" }), "VmNotFound");
    });

    it("speaks Japanese on a Japanese host, with the same error codes and the backup service found by id", async () => {
        const { folder, host, vmId } = await labWithVm({ checkpointType: "Disabled" }, { language: "ja-JP" });
        const error = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "x" }), "CheckpointsDisabled");
        assert.match(error.message, /チェックポイントは無効になっています/);
        assert.equal(inspectLab(folder).backupServiceName, "バックアップ (ボリューム チェックポイント)");
        await host.applyCheckpointSettings({ id: vmId }, { checkpointType: "ProductionOnly" });
        assert.equal((await host.takeCheckpoint({ id: vmId }, { name: "本番" })).kind, "production");
        await setHostSettings(folder, { language: "en-US" });
        assert.equal(inspectLab(folder).backupServiceName, "Backup (volume shadow copy)");
    });

    it("names the file when the lab document is not JSON", async () => {
        const { folder, host } = await freshLab();
        fs.writeFileSync(journalPath(folder), "{ not json");
        const error = await rejectsWith(() => host.getVm({ name: "x" }), "HostFailure");
        assert.ok(error.message.includes(journalPath(folder)), error.message);
    });

    it("names the file and the field when a record in the lab journal breaks the schema", async () => {
        const { folder, host, vmId } = await labWithVm();
        const vm = readLab(folder).vms[0]!;
        fs.appendFileSync(journalPath(folder), encodeLine({ vms: [{ vm: { ...vm, state: "Exploded" }, checkpoints: [] }] }));
        const error = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "x" }), "HostFailure");
        assert.ok(error.message.includes(journalPath(folder)) && error.message.includes("vms.0.vm.state"), error.message);
    });

    it("says how to create a lab when the folder holds none", async () => {
        const { folder } = await freshLab();
        fs.rmSync(journalPath(folder));
        await rejectsWith(() => new LabHost(folder).getVm({ name: "x" }), "HostUnreachable");
    });
});
