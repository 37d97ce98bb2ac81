import * as assert from "node:assert/strict";
import { labWithVm, rejectsWith, removeLabs } from "./helpers";

/*
 * The two calls a resource makes to change a VM: each reads, refuses and writes in one host call,
 * so a create or an update is one round trip on a real host.
 */
describe("lab host: settings and checkpoints in one call", () => {
    afterEach(removeLabs);

    it("applies desired settings, reporting the VM before and after and its checkpoint count", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Production" });
        const applied = await host.applyCheckpointSettings({ name: "WEB01" }, { checkpointType: "Standard", automaticCheckpointsEnabled: false });
        assert.deepEqual([applied.before.checkpointType, applied.after.checkpointType], ["Production", "Standard"]);
        assert.equal(applied.after.automaticCheckpointsEnabled, false);
        assert.equal(applied.after.id, vmId);
        assert.equal(applied.checkpointCount, 0);
    });

    it("leaves a matching VM as it is: the same path in other case and with a trailing backslash is no change", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Standard" });
        const location = (await host.getVm({ id: vmId })).checkpointFileLocation;
        await host.takeCheckpoint({ id: vmId }, { name: "pins the location" });
        const applied = await host.applyCheckpointSettings({ id: vmId }, { checkpointType: "Standard", checkpointFileLocation: `${location.toUpperCase()}\\` });
        assert.deepEqual(applied.after, applied.before);
        assert.equal(applied.checkpointCount, 1);
    });

    it("re-enables a Disabled VM with Production, and leaves any other type alone", async () => {
        const disabled = await labWithVm({ checkpointType: "Disabled" });
        assert.equal((await disabled.host.applyCheckpointSettings({ id: disabled.vmId }, { reenableCheckpoints: true })).after.checkpointType, "Production");
        const standard = await labWithVm({ checkpointType: "Standard" });
        assert.equal((await standard.host.applyCheckpointSettings({ id: standard.vmId }, { reenableCheckpoints: true })).after.checkpointType, "Standard");
    });

    it("keeps the file location of a VM with checkpoints when asked to, changing the rest", async () => {
        const { host, vmId } = await labWithVm({ checkpointType: "Production" });
        const location = (await host.getVm({ id: vmId })).checkpointFileLocation;
        await host.takeCheckpoint({ id: vmId }, { name: "one" });
        const desired = { checkpointType: "Standard" as const, checkpointFileLocation: "E:\\Elsewhere" };
        await rejectsWith(() => host.applyCheckpointSettings({ id: vmId }, desired), "FileLocationLocked");
        assert.equal((await host.getVm({ id: vmId })).checkpointType, "Production", "a refused call changes nothing");
        const kept = await host.applyCheckpointSettings({ id: vmId }, { ...desired, fileLocationWhileCheckpointed: "keep" });
        assert.deepEqual([kept.after.checkpointType, kept.after.checkpointFileLocation], ["Standard", location]);
    });

    it("refuses production-only on a VM below configuration version 6.2 when asked to, before changing anything", async () => {
        const { host, vmId } = await labWithVm({ version: "5.0", checkpointType: "Standard" });
        const before = await host.getVm({ id: vmId });
        const error = await rejectsWith(
            () =>
                host.applyCheckpointSettings(
                    { id: vmId },
                    {
                        checkpointType: "ProductionOnly",
                        automaticCheckpointsEnabled: !before.automaticCheckpointsEnabled,
                        refuseImpossibleProductionOnly: true,
                    },
                ),
            "ProductionUnavailable",
        );
        assert.match(error.message, /configuration version 5\.0 is below 6\.2/);
        assert.deepEqual(await host.getVm({ id: vmId }), before);
        // Hyper-V itself accepts the setting; only the caller's guard refuses it.
        assert.equal((await host.applyCheckpointSettings({ id: vmId }, { checkpointType: "ProductionOnly" })).after.checkpointType, "ProductionOnly");
    });

    it("refuses to enable a backup service the VM does not have, before changing anything", async () => {
        const { host, vmId } = await labWithVm({ backupService: "none", checkpointType: "Production" });
        await rejectsWith(
            () => host.applyCheckpointSettings({ id: vmId }, { checkpointType: "Standard", enableBackupIntegration: true }),
            "BackupServiceMissing",
        );
        assert.equal((await host.getVm({ id: vmId })).checkpointType, "Production");
    });

    it("takes a checkpoint of a VM named by name, with the VM as it was and the checkpoints that had the name already", async () => {
        const { host, vmId } = await labWithVm({ state: "Running", checkpointType: "Standard" });
        const first = await host.takeCheckpoint({ name: "web01" }, { name: "nightly" });
        assert.deepEqual([first.vm.id, first.vm.parentCheckpointId, first.namesakes], [vmId, null, []]);
        await host.takeCheckpoint({ name: "web01" }, { name: "other" });
        const third = await host.takeCheckpoint({ name: "web01" }, { name: "nightly", temporaryType: "Production" });
        assert.deepEqual(
            third.namesakes.map((c) => c.id),
            [first.checkpoint.id],
        );
        assert.equal(third.vm.checkpointType, "Standard", "the VM as it was, not under the temporary type");
    });
});
