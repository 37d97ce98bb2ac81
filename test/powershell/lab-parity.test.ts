import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isHostError, type HostErrorCode } from "../../provider/host/errors";
import type { HyperVHost } from "../../provider/host/port";
import { addVm, initLab, LabHost, type InitLabOptions, type NewVm } from "../../provider/lab";
import { createPowerShellHost } from "../../provider/powershell";
import { LabTransport } from "./support/lab-transport";

/*
 * The PowerShell host against a stand-in that answers its scripts from a lab: what the adapter
 * sends is what the scripts read, and what it reads back is what the lab (the reference for the
 * scripts' semantics) decided, one round trip per operation.
 */

const folders: string[] = [];

async function psOnLab(vm: Partial<NewVm> = {}, options: InitLabOptions = {}): Promise<{ host: HyperVHost; transport: LabTransport; vmId: string }> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "hvcp-ps-lab-"));
    folders.push(folder);
    await initLab(folder, options);
    const added = await addVm(folder, { name: "web-01", state: "Running", ...vm });
    const transport = new LabTransport(new LabHost(folder));
    const host = createPowerShellHost({ kind: "local", timeouts: { operationSeconds: 120, removalSeconds: 3600, connectSeconds: 60 } }, { transport });
    return { host, transport, vmId: added.id };
}

async function rejectsWith(action: Promise<unknown>, code: HostErrorCode): Promise<void> {
    await assert.rejects(action, (e: unknown) => {
        assert.ok(isHostError(e), `expected ${code}, got ${String(e)}`);
        assert.equal(e.code, code, e.message);
        return true;
    });
}

after(() => {
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

describe("the PowerShell host on a lab-backed stand-in: taking checkpoints", () => {
    const cases: { title: string; vm: Partial<NewVm>; options?: InitLabOptions; temporaryType?: "Standard" | "Production" | "ProductionOnly" }[] = [
        { title: "a production checkpoint of a running VM whose guest answers", vm: {} },
        { title: "a standard fallback for a saved VM under Production", vm: { state: "Saved" } },
        { title: "a consistent checkpoint of an Off VM", vm: { state: "Off", backupService: "none" } },
        { title: "a standard checkpoint under a temporary Standard type", vm: {}, temporaryType: "Standard" },
        { title: "a fallback when the backup service is disabled", vm: { backupService: "disabled" } },
        { title: "a standard checkpoint on a 2012 R2 host", vm: {}, options: { os: "2012r2" } },
    ];
    for (const c of cases) {
        it(`works out the same kind as the lab: ${c.title}`, async () => {
            const { host, transport, vmId } = await psOnLab(c.vm, c.options);
            const taken = await host.takeCheckpoint({ id: vmId }, { name: "nightly", ...(c.temporaryType ? { temporaryType: c.temporaryType } : {}) });
            const lab = transport.lastTaken!;
            assert.deepEqual([taken.kind, taken.fellBack, taken.vmStateAtCreation], [lab.kind, lab.fellBack, lab.vmStateAtCreation]);
            assert.deepEqual(taken.vm, lab.vm);
            assert.deepEqual(taken.checkpoint, lab.checkpoint);
        });
    }

    it("takes a checkpoint of a VM named by name, in one round trip, and returns the VM as it was before", async () => {
        const { host, transport, vmId } = await psOnLab();
        const taken = await host.takeCheckpoint({ name: "WEB-01" }, { name: "first" });
        assert.equal(taken.vm.id, vmId);
        assert.equal(taken.vm.parentCheckpointId, null, "read before the checkpoint");
        assert.deepEqual(transport.operations, ["take checkpoint"]);
    });

    it("reports the checkpoints that already had the name, oldest first: none, one, then two", async () => {
        const { host, vmId } = await psOnLab();
        const first = await host.takeCheckpoint({ id: vmId }, { name: "nightly" });
        await host.takeCheckpoint({ id: vmId }, { name: "Nightly" });
        const second = await host.takeCheckpoint({ id: vmId }, { name: "nightly" });
        const third = await host.takeCheckpoint({ id: vmId }, { name: "nightly" });
        assert.deepEqual(first.namesakes, []);
        assert.deepEqual(
            second.namesakes.map((c) => c.id),
            [first.checkpoint.id],
        );
        assert.deepEqual(
            third.namesakes.map((c) => c.id),
            [first.checkpoint.id, second.checkpoint.id],
        );
    });

    it("reads the lab's refusals as the same errors", async () => {
        const disabled = await psOnLab({ checkpointType: "Disabled" });
        await rejectsWith(disabled.host.takeCheckpoint({ id: disabled.vmId }, { name: "n", temporaryType: "Standard" }), "CheckpointsDisabled");
        const saved = await psOnLab({ state: "Saved" });
        await rejectsWith(saved.host.takeCheckpoint({ id: saved.vmId }, { name: "n", temporaryType: "ProductionOnly" }), "ProductionUnavailable");
        const old = await psOnLab({}, { os: "2012r2" });
        await rejectsWith(old.host.takeCheckpoint({ id: old.vmId }, { name: "n", temporaryType: "Standard" }), "UnsupportedByHost");
        await rejectsWith(old.host.takeCheckpoint({ name: "db-01" }, { name: "n" }), "VmNotFound");
    });
});

describe("the PowerShell host on a lab-backed stand-in: applying checkpoint settings", () => {
    it("changes what differs and returns the VM before and after with its checkpoint count, in one round trip", async () => {
        const { host, transport } = await psOnLab({ checkpointType: "Standard", backupService: "disabled" });
        const applied = await host.applyCheckpointSettings(
            { name: "web-01" },
            { checkpointType: "ProductionOnly", enableBackupIntegration: true, automaticCheckpointsEnabled: false },
        );
        assert.equal(applied.before.checkpointType, "Standard");
        assert.equal(applied.after.checkpointType, "ProductionOnly");
        assert.deepEqual(applied.after.backupService, { enabled: true, guestResponding: true });
        assert.equal(applied.checkpointCount, 0);
        assert.deepEqual(transport.operations, ["apply checkpoint settings"]);
    });

    it("re-enables a Disabled VM as Production, and leaves another type alone", async () => {
        const disabled = await psOnLab({ checkpointType: "Disabled" });
        assert.equal((await disabled.host.applyCheckpointSettings({ id: disabled.vmId }, { reenableCheckpoints: true })).after.checkpointType, "Production");
        const standard = await psOnLab({ checkpointType: "Standard" });
        assert.equal((await standard.host.applyCheckpointSettings({ id: standard.vmId }, { reenableCheckpoints: true })).after.checkpointType, "Standard");
    });

    it("keeps the file location of a VM with checkpoints when asked to, and refuses to move it otherwise", async () => {
        const { host, vmId } = await psOnLab();
        await host.takeCheckpoint({ id: vmId }, { name: "pin" });
        const kept = await host.applyCheckpointSettings(
            { id: vmId },
            { checkpointFileLocation: "D:\\Elsewhere", checkpointType: "Standard", fileLocationWhileCheckpointed: "keep" },
        );
        assert.equal(kept.after.checkpointFileLocation, kept.before.checkpointFileLocation);
        assert.equal(kept.after.checkpointType, "Standard");
        assert.equal(kept.checkpointCount, 1);
        await rejectsWith(host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: "D:\\Elsewhere" }), "FileLocationLocked");
        const same = await host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: `${kept.before.checkpointFileLocation.toUpperCase()}\\` });
        assert.deepEqual(same.after, same.before, "the same location in other case with a trailing backslash is no change");
    });

    it("refuses what the lab refuses, before changing anything", async () => {
        const noService = await psOnLab({ checkpointType: "Standard", backupService: "none" });
        await rejectsWith(
            noService.host.applyCheckpointSettings({ id: noService.vmId }, { checkpointType: "Production", enableBackupIntegration: true }),
            "BackupServiceMissing",
        );
        assert.equal((await noService.host.getVm({ id: noService.vmId })).checkpointType, "Standard");
        const oldVersion = await psOnLab({ version: "5.0" }, { os: "2016" });
        await rejectsWith(
            oldVersion.host.applyCheckpointSettings({ id: oldVersion.vmId }, { checkpointType: "ProductionOnly", refuseImpossibleProductionOnly: true }),
            "ProductionUnavailable",
        );
        const noTypes = await psOnLab({}, { os: "2012r2" });
        await rejectsWith(noTypes.host.applyCheckpointSettings({ id: noTypes.vmId }, { checkpointType: "Standard" }), "UnsupportedByHost");
        const noAutomatic = await psOnLab({}, { os: "2016" });
        await rejectsWith(noAutomatic.host.applyCheckpointSettings({ id: noAutomatic.vmId }, { automaticCheckpointsEnabled: true }), "UnsupportedByHost");
    });
});
