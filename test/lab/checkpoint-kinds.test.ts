import * as assert from "node:assert/strict";
import { labPathOf, setVm } from "../../provider/lab";
import { filesIn, labWithVm, rejectsWith, removeLabs } from "./helpers";
import { checkpointsOf } from "../host/reads";

describe("lab host: what kind of checkpoint Hyper-V makes", () => {
    afterEach(removeLabs);

    it("makes a production checkpoint of a running VM whose guest answers backup requests", async () => {
        const { folder, host, vmId } = await labWithVm({ checkpointType: "Production", checkpointFileLocation: "D:\\Checkpoints\\web01" });
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "before patch" });
        assert.equal(taken.kind, "production");
        assert.equal(taken.fellBack, false);
        assert.equal(taken.vmStateAtCreation, "Running");
        const id = taken.checkpoint.id.toUpperCase();
        assert.deepEqual(filesIn(labPathOf(folder, "D:\\Checkpoints\\web01")), [`${id}.vmcx`], "no memory state (.vmrs) for production");
    });

    it("falls back to a standard checkpoint when the VM is saved", async () => {
        const { host, vmId } = await labWithVm({ state: "Saved", checkpointType: "Production" });
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "saved" });
        assert.deepEqual([taken.kind, taken.fellBack, taken.vmStateAtCreation], ["standard", true, "Saved"]);
    });

    it("falls back to a standard checkpoint when the backup integration service is disabled", async () => {
        const { host, vmId } = await labWithVm({ backupService: "disabled" });
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "no vss" });
        assert.deepEqual([taken.kind, taken.fellBack], ["standard", true]);
    });

    it("falls back to a standard checkpoint when the VM has no backup integration service", async () => {
        const { host, vmId } = await labWithVm({ backupService: "none" });
        assert.equal((await host.getVm({ id: vmId })).backupService, null);
        assert.equal((await host.takeCheckpoint({ id: vmId }, { name: "no service" })).kind, "standard");
    });

    it("falls back to a standard checkpoint when a Linux guest has no hv_vss_daemon answering", async () => {
        const { host, vmId } = await labWithVm({ guestBackupResponding: false });
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "linux" });
        assert.deepEqual([taken.kind, taken.fellBack], ["standard", true]);
    });

    it("falls back below configuration version 6.2 and makes production checkpoints from 6.2", async () => {
        const old = await labWithVm({ version: "6.0" });
        assert.equal((await old.host.takeCheckpoint({ id: old.vmId }, { name: "old" })).kind, "standard");
        const current = await labWithVm({ version: "6.2" });
        assert.equal((await current.host.takeCheckpoint({ id: current.vmId }, { name: "new" })).kind, "production");
    });

    it("refuses a ProductionOnly checkpoint when production is impossible, and creates nothing", async () => {
        const { folder, host, vmId } = await labWithVm({ state: "Paused", checkpointType: "ProductionOnly", checkpointFileLocation: "E:\\cp" });
        const error = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "never" }), "ProductionUnavailable");
        assert.match(error.message, /Production checkpoints cannot be created/);
        assert.deepEqual(await checkpointsOf(host, vmId), []);
        assert.deepEqual(filesIn(labPathOf(folder, "E:\\cp")), []);
    });

    it("takes a disk-only checkpoint of an Off VM whatever the type", async () => {
        for (const checkpointType of ["Production", "ProductionOnly", "Standard"] as const) {
            const { folder, host, vmId } = await labWithVm({ state: "Off", checkpointType, version: "5.0", checkpointFileLocation: "D:\\cp" });
            const taken = await host.takeCheckpoint({ id: vmId }, { name: "off" });
            assert.equal(taken.checkpoint.vmState, "Off", checkpointType);
            assert.equal(taken.fellBack, false, checkpointType);
            assert.ok(
                filesIn(labPathOf(folder, "D:\\cp")).every((f) => f.endsWith(".vmcx")),
                `${checkpointType}: no .vmrs`,
            );
        }
    });

    it("saves memory state (.vmrs) in a standard checkpoint of a running VM", async () => {
        const { folder, host, vmId } = await labWithVm({ checkpointType: "Standard", checkpointFileLocation: "D:\\cp" });
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "with memory" });
        assert.deepEqual([taken.kind, taken.fellBack, taken.checkpoint.vmState], ["standard", false, "Running"]);
        const id = taken.checkpoint.id.toUpperCase();
        assert.deepEqual(filesIn(labPathOf(folder, "D:\\cp")), [`${id}.vmcx`, `${id}.vmrs`]);
    });

    it("refuses checkpoints when the policy is Disabled", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Disabled" });
        const error = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "x" }), "CheckpointsDisabled");
        assert.match(error.message, /Checkpoints have been disabled/);
    });

    for (const state of ["Starting", "Stopping", "Saving", "Pausing", "Resuming", "Reset"] as const) {
        it(`refuses to take, apply, rename or remove checkpoints while the VM is ${state}`, async () => {
            const { host, vmId } = await labWithVm({ checkpointType: "Standard" });
            const cp = (await host.takeCheckpoint({ id: vmId }, { name: "a" })).checkpoint;
            await setVm(host.folder, { id: vmId }, { state });
            await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "b" }), "InvalidVmState");
            await rejectsWith(() => host.applyCheckpoint(vmId, cp.id), "InvalidVmState");
            await rejectsWith(() => host.renameCheckpoint(vmId, cp.id, "c"), "InvalidVmState");
            await rejectsWith(() => host.removeCheckpoint(vmId, cp.id), "InvalidVmState");
            assert.equal((await checkpointsOf(host, vmId)).length, 1);
        });
    }

    it("uses a temporary type for one checkpoint and puts the VM's own type back", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Standard" });
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "app-consistent", temporaryType: "ProductionOnly" });
        assert.equal(taken.kind, "production");
        assert.equal((await host.getVm({ id: vmId })).checkpointType, "Standard");
    });

    it("puts the VM's own type back when the temporary type fails", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Standard", version: "5.0" });
        await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "x", temporaryType: "ProductionOnly" }), "ProductionUnavailable");
        assert.equal((await host.getVm({ id: vmId })).checkpointType, "Standard");
    });

    it("never lets a temporary type override a Disabled policy", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Disabled" });
        await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "x", temporaryType: "Standard" }), "CheckpointsDisabled");
        assert.equal((await host.getVm({ id: vmId })).checkpointType, "Disabled");
        assert.deepEqual(await checkpointsOf(host, vmId), []);
    });

    it("makes production checkpoints again once the backup integration service is enabled", async () => {
        const { host, vmId } = await labWithVm({ backupService: "disabled" });
        const { after: vm } = await host.applyCheckpointSettings({ id: vmId }, { enableBackupIntegration: true });
        assert.deepEqual(vm.backupService, { enabled: true, guestResponding: true });
        assert.equal((await host.takeCheckpoint({ id: vmId }, { name: "x" })).kind, "production");
    });

    it("refuses checkpoint names that are empty or longer than 100 characters, and accepts 100", async () => {
        const { host, vmId } = await labWithVm();
        await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "" }), "HostFailure");
        await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "n".repeat(101) }), "HostFailure");
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "n".repeat(100) });
        assert.equal(taken.checkpoint.name.length, 100);
    });
});
