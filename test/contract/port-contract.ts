import assert from "node:assert/strict";
import type { HostErrorCode } from "../../provider/host/errors";
import type { HyperVHost } from "../../provider/host/port";
import { readLab, setHostSettings, setVm, takeCheckpointOutOfBand, type InitLabOptions, type NewVm } from "../../provider/lab";
import { projectVm } from "../../provider/lab/projection";
import { rejectsWith } from "../lab/helpers";
import { checkpointOf, checkpointsOf } from "../host/reads";

/*
 * One contract for the HyperVHost port, run on every adapter (port.contract.test.ts) and on a
 * cluster of three SSH nodes (cluster.contract.test.ts): every test states what a user of the port
 * sees; where the hosts differ, the host is wrong.
 */

export interface ContractSetup {
    folder: string;
    host: HyperVHost;
    /** Adds a VM to the lab (on a cluster, on some node); its id. */
    vm: (spec?: Partial<NewVm>) => Promise<string>;
    /** What the host's capabilities name as its computer (on a cluster, the node that answers). */
    computerName: string;
}

export interface ContractSubject {
    /** A fresh lab and a host on it. A lab posing as another release is another machine: its own sessions. */
    setup(options?: InitLabOptions): Promise<ContractSetup>;
    /** How a release before 2019 refuses a temporary type or automatic checkpoints on this host. */
    unsupportedOnOldHost: HostErrorCode;
    /**
     * Runs the refusals of older releases (2012 R2, 2016, a 2019 VM of version 5.0). Each poses the
     * lab as another machine, so each needs sessions of its own: a subject whose hosts are adapters
     * already run here may leave them out (CI time).
     */
    olderReleases: boolean;
}

/** The contract's tests, for the host `subject` makes; call inside a describe whose hooks start what it needs. */
export function describePortContract(subject: ContractSubject): void {
    const setup = (options: InitLabOptions = {}) => subject.setup(options);
    const onOlderReleases: (title: string, test: () => Promise<void>) => void = subject.olderReleases ? it : () => undefined;

    describe("reads", () => {
        it("reports the host's release and what its Set-VM can do", async () => {
            const { host, computerName } = await setup({ os: "2019", computerName: "HV-EAST-07" });
            const caps = await host.capabilities();
            assert.equal(caps.computerName, computerName);
            assert.equal(caps.osCaption, "Windows Server 2019 Datacenter");
            assert.equal(caps.osBuild, 17763);
            assert.equal(caps.supportsCheckpointType, true);
            assert.equal(caps.supportsAutomaticCheckpoints, true);
        });

        it("reads a VM by name and by id exactly as the host holds it, checkpoints oldest first", async () => {
            const { host, folder, vm } = await setup();
            const id = await vm({ name: "web01", checkpointFileLocation: "D:\\Checkpoints\\web01", automaticCheckpointsEnabled: true });
            await takeCheckpointOutOfBand(folder, { id }, { name: "first" });
            await takeCheckpointOutOfBand(folder, { id }, { name: "second" });
            const byName = await host.getVmWithCheckpoints({ name: "web01" });
            const byId = await host.getVmWithCheckpoints({ id: id.toUpperCase() });
            const doc = readLab(folder);
            const expected = projectVm(doc, doc.vms[0]!);
            assert.deepEqual(byName.vm, expected);
            assert.deepEqual(byId, byName);
            assert.deepEqual(
                byName.checkpoints.map((c) => c.name),
                ["first", "second"],
            );
            assert.equal(byName.checkpoints[1]!.parentId, byName.checkpoints[0]!.id);
            assert.equal(byName.vm.parentCheckpointId, byName.checkpoints[1]!.id);
            assert.match(byName.checkpoints[0]!.creationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
            assert.deepEqual(await checkpointsOf(host, id), byName.checkpoints);
            assert.deepEqual(await checkpointOf(host, id, byName.checkpoints[0]!.id), byName.checkpoints[0]);
        });

        it("a VM with no checkpoints reads with an empty list", async () => {
            const { host, vm } = await setup();
            const id = await vm();
            assert.deepEqual((await host.getVmWithCheckpoints({ id })).checkpoints, []);
            assert.deepEqual(await checkpointsOf(host, id), []);
        });

        it("finds names holding wildcard characters literally, and only them", async () => {
            const { host, vm } = await setup();
            await vm({ name: "web0" });
            const id = await vm({ name: "web[0]*?" });
            assert.equal((await host.getVm({ name: "web[0]*?" })).id, id);
            await expectCode(host.getVm({ name: "web*" }), "VmNotFound");
        });

        it("refuses a VM that does not exist, by name and by id", async () => {
            const { host, vm } = await setup();
            await vm();
            const byName = await expectCode(host.getVm({ name: "db01" }), "VmNotFound");
            assert.match(byName.message, /db01/);
            await expectCode(host.getVm({ id: "00000000-0000-0000-0000-000000000001" }), "VmNotFound");
        });

        it("refuses an ambiguous name, listing every VM that has it", async () => {
            const { host, vm } = await setup();
            const a = await vm({ name: "web01" });
            const b = await vm({ name: "web01" });
            const error = await expectCode(host.getVmWithCheckpoints({ name: "web01" }), "AmbiguousVmName");
            assert.match(error.message, new RegExp(a));
            assert.match(error.message, new RegExp(b));
        });

        it("refuses a checkpoint that does not exist", async () => {
            const { host, vm } = await setup();
            const id = await vm();
            await expectCode(checkpointOf(host, id, "00000000-0000-0000-0000-000000000002"), "CheckpointNotFound");
        });

        it("tells names apart as .NET's OrdinalIgnoreCase does: ı is not I, ſ is not S, ᾳ is ᾼ", async () => {
            const { host, vm } = await setup();
            const plain = await vm({ name: "DIS01" });
            const dotless = await vm({ name: "d\u0131s01" });
            const longS = await vm({ name: "\u017Fql01" });
            const upperS = await vm({ name: "SQL01" });
            const greek = await vm({ name: "\u1FBCpp01" });
            assert.equal((await host.getVm({ name: "d\u0131s01" })).id, dotless, "not ambiguous beside DIS01");
            assert.equal((await host.getVm({ name: "dis01" })).id, plain);
            assert.equal((await host.getVm({ name: "sql01" })).id, upperS, "not ambiguous beside ſql01");
            assert.equal((await host.getVm({ name: "\u017FQL01" })).id, longS);
            assert.equal((await host.getVm({ name: "\u1FB3pp01" })).id, greek, "ᾳ is the lower case of ᾼ");
        });

        it("reads Japanese names and a Japanese host's translated backup service by its id", async () => {
            const { host, vm } = await setup({ language: "ja-JP" });
            const id = await vm({ name: "ウェブ-サーバー01" });
            const read = await host.getVm({ name: "ウェブ-サーバー01" });
            assert.equal(read.id, id);
            assert.deepEqual(read.backupService, { enabled: true, guestResponding: true });
            const missing = await expectCode(host.getVm({ name: "存在しない" }), "VmNotFound");
            assert.match(missing.message, /存在しない/);
        });
    });

    describe("take checkpoint", () => {
        it("takes a production checkpoint of a running VM whose guest answers", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "Production" });
            const taken = await host.takeCheckpoint({ name: "web01" }, { name: "before-upgrade" });
            assert.equal(taken.vm.id, id);
            assert.equal(taken.kind, "production");
            assert.equal(taken.fellBack, false);
            assert.equal(taken.vmStateAtCreation, "Running");
            assert.equal(taken.checkpoint.name, "before-upgrade");
            assert.equal(taken.checkpoint.vmState, "Off");
            assert.deepEqual(taken.namesakes, []);
            assert.deepEqual(
                (await checkpointsOf(host, id)).map((c) => c.id),
                [taken.checkpoint.id],
            );
        });

        it("falls back to a standard checkpoint when the VM is saved", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Saved", checkpointType: "Production" });
            const taken = await host.takeCheckpoint({ id }, { name: "saved" });
            assert.equal(taken.kind, "standard");
            assert.equal(taken.fellBack, true);
            assert.equal(taken.checkpoint.vmState, "Saved");
        });

        it("refuses a production-only checkpoint the guest cannot make, and takes nothing", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "ProductionOnly", guestBackupResponding: false });
            await expectCode(host.takeCheckpoint({ id }, { name: "x" }), "ProductionUnavailable");
            assert.deepEqual(await checkpointsOf(host, id), []);
        });

        it("refuses on a Disabled policy, even with a temporary type, and leaves the policy Disabled", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "Disabled" });
            await expectCode(host.takeCheckpoint({ id }, { name: "x" }), "CheckpointsDisabled");
            await expectCode(host.takeCheckpoint({ id }, { name: "x", temporaryType: "Standard" }), "CheckpointsDisabled");
            assert.equal((await host.getVm({ id })).checkpointType, "Disabled");
            assert.deepEqual(await checkpointsOf(host, id), []);
        });

        it("takes one checkpoint under a temporary type and puts the VM's policy back", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "ProductionOnly" });
            const taken = await host.takeCheckpoint({ id }, { name: "with-memory", temporaryType: "Standard" });
            assert.equal(taken.kind, "standard");
            assert.equal(taken.fellBack, false);
            assert.equal(taken.checkpoint.vmState, "Running");
            assert.equal((await host.getVm({ id })).checkpointType, "ProductionOnly");
        });

        it("puts the policy back when the checkpoint under a temporary type is refused", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "Standard", guestBackupResponding: false });
            await expectCode(host.takeCheckpoint({ id }, { name: "x", temporaryType: "ProductionOnly" }), "ProductionUnavailable");
            assert.equal((await host.getVm({ id })).checkpointType, "Standard");
        });

        it("refuses the 51st checkpoint of a VM", async () => {
            const { host, folder, vm } = await setup();
            const id = await vm({ state: "Off" });
            for (let i = 1; i <= 50; i++) await takeCheckpointOutOfBand(folder, { id }, { name: `cp-${i}` });
            const error = await expectCode(host.takeCheckpoint({ id }, { name: "cp-51" }), "CheckpointLimit");
            assert.match(error.message, /50/);
            assert.equal((await checkpointsOf(host, id)).length, 50);
        });

        it("refuses while the VM is starting", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Starting" });
            await expectCode(host.takeCheckpoint({ id }, { name: "x" }), "InvalidVmState");
        });

        it("reports the checkpoints that already had the name, compared case-sensitively", async () => {
            const { host, folder, vm } = await setup();
            const id = await vm({ state: "Off" });
            const first = await takeCheckpointOutOfBand(folder, { id }, { name: "nightly" });
            await takeCheckpointOutOfBand(folder, { id }, { name: "Nightly" });
            const taken = await host.takeCheckpoint({ id }, { name: "nightly" });
            assert.deepEqual(
                taken.namesakes.map((c) => c.id),
                [first.checkpoint.id],
            );
        });

        onOlderReleases("refuses a temporary type on a host without checkpoint types", async () => {
            const { host, vm } = await setup({ os: "2012r2" });
            const id = await vm({ state: "Off" });
            await expectCode(host.takeCheckpoint({ id }, { name: "x", temporaryType: "Standard" }), subject.unsupportedOnOldHost);
        });
    });

    describe("apply, rename, remove", () => {
        it("applies a standard checkpoint of a running VM: the VM comes back Saved, and starts when asked", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "Standard" });
            const taken = await host.takeCheckpoint({ id }, { name: "memory" });
            const restored = await host.applyCheckpoint(id, taken.checkpoint.id);
            assert.equal(restored.state, "Saved");
            assert.equal(restored.parentCheckpointId, taken.checkpoint.id);
            const started = await host.applyCheckpoint(id, taken.checkpoint.id, { start: true });
            assert.equal(started.state, "Running");
        });

        it("applies a production checkpoint: the VM is Off", async () => {
            const { host, vm } = await setup();
            const id = await vm();
            const taken = await host.takeCheckpoint({ id }, { name: "prod" });
            assert.equal((await host.applyCheckpoint(id, taken.checkpoint.id)).state, "Off");
        });

        it("renames a checkpoint, keeping its id", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Off" });
            const taken = await host.takeCheckpoint({ id }, { name: "old" });
            const renamed = await host.renameCheckpoint(id, taken.checkpoint.id, "新しい名前 'quoted' \"twice\"");
            assert.equal(renamed.id, taken.checkpoint.id);
            assert.equal(renamed.name, "新しい名前 'quoted' \"twice\"");
            assert.equal((await checkpointOf(host, id, taken.checkpoint.id)).name, renamed.name);
        });

        it("removes a middle checkpoint: its child moves to its parent and the VM keeps running on its disk", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Off" });
            const a = await host.takeCheckpoint({ id }, { name: "a" });
            const b = await host.takeCheckpoint({ id }, { name: "b" });
            const c = await host.takeCheckpoint({ id }, { name: "c" });
            await host.removeCheckpoint(id, b.checkpoint.id);
            const left = await checkpointsOf(host, id);
            assert.deepEqual(
                left.map((x) => x.name),
                ["a", "c"],
            );
            assert.equal(left[1]!.parentId, a.checkpoint.id);
            assert.equal((await host.getVm({ id })).parentCheckpointId, c.checkpoint.id);
            await expectCode(checkpointOf(host, id, b.checkpoint.id), "CheckpointNotFound");
        });

        it("refuses to remove a checkpoint that is gone", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Off" });
            const taken = await host.takeCheckpoint({ id }, { name: "a" });
            await host.removeCheckpoint(id, taken.checkpoint.id);
            await expectCode(host.removeCheckpoint(id, taken.checkpoint.id), "CheckpointNotFound");
        });
    });

    describe("start, suspend, resume", () => {
        it("pauses a running VM and resumes it, and a checkpoint of the paused VM holds its memory", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "Standard" });
            assert.equal((await host.suspendVm(id)).state, "Paused");
            const taken = await host.takeCheckpoint({ id }, { name: "paused" });
            assert.equal(taken.vmStateAtCreation, "Paused");
            assert.equal(taken.checkpoint.vmState, "Paused");
            assert.equal((await host.resumeVm(id)).state, "Running");
        });

        it("refuses to suspend a VM that is not running, and to resume one that is not paused, changing nothing", async () => {
            const { host, vm } = await setup();
            const off = await vm({ name: "off01", state: "Off" });
            const running = await vm({ name: "run01" });
            await expectCode(host.suspendVm(off), "InvalidVmState");
            await expectCode(host.resumeVm(running), "InvalidVmState");
            assert.equal((await host.getVm({ id: off })).state, "Off");
            assert.equal((await host.getVm({ id: running })).state, "Running");
        });

        it("starts a VM that is off, and leaves a running one alone", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Off", automaticCheckpointsEnabled: false });
            assert.equal((await host.startVm(id)).state, "Running");
            assert.equal((await host.startVm(id)).state, "Running");
        });
    });

    describe("apply checkpoint settings", () => {
        it("writes only what differs and reports the VM before and after", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "Production" });
            const applied = await host.applyCheckpointSettings(
                { name: "web01" },
                {
                    checkpointType: "Standard",
                    checkpointFileLocation: "E:\\Checkpoints",
                    automaticCheckpointsEnabled: true,
                },
            );
            assert.equal(applied.before.checkpointType, "Production");
            assert.equal(applied.after.checkpointType, "Standard");
            assert.equal(applied.after.checkpointFileLocation, "E:\\Checkpoints");
            assert.equal(applied.after.automaticCheckpointsEnabled, true);
            assert.equal(applied.checkpointCount, 0);
            assert.deepEqual(await host.getVm({ id }), applied.after);
        });

        it("re-enables a Disabled VM with Hyper-V's default type", async () => {
            const { host, vm } = await setup();
            const id = await vm({ checkpointType: "Disabled" });
            const applied = await host.applyCheckpointSettings({ id }, { reenableCheckpoints: true });
            assert.equal(applied.after.checkpointType, "Production");
        });

        it("refuses to move the file location of a VM with checkpoints, changing nothing", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Off", checkpointType: "Production" });
            await host.takeCheckpoint({ id }, { name: "a" });
            await expectCode(
                host.applyCheckpointSettings({ id }, { checkpointType: "Standard", checkpointFileLocation: "E:\\Elsewhere" }),
                "FileLocationLocked",
            );
            assert.equal((await host.getVm({ id })).checkpointType, "Production");
        });

        it("keeps the file location of a VM with checkpoints when asked, and changes the rest", async () => {
            const { host, vm } = await setup();
            const id = await vm({ state: "Off", checkpointType: "Production" });
            await host.takeCheckpoint({ id }, { name: "a" });
            const applied = await host.applyCheckpointSettings(
                { id },
                { checkpointType: "Standard", checkpointFileLocation: "E:\\Elsewhere", fileLocationWhileCheckpointed: "keep" },
            );
            assert.equal(applied.after.checkpointType, "Standard");
            assert.equal(applied.after.checkpointFileLocation, applied.before.checkpointFileLocation);
            assert.equal(applied.checkpointCount, 1);
        });

        it("enables the backup integration service, and refuses on a VM that has none", async () => {
            const { host, vm } = await setup();
            const off = await vm({ name: "app01", backupService: "disabled" });
            assert.deepEqual((await host.applyCheckpointSettings({ id: off }, { enableBackupIntegration: true })).after.backupService?.enabled, true);
            const none = await vm({ name: "app02", backupService: "none" });
            await expectCode(host.applyCheckpointSettings({ id: none }, { enableBackupIntegration: true, checkpointType: "Standard" }), "BackupServiceMissing");
            assert.equal((await host.getVm({ id: none })).checkpointType, "Production");
        });

        onOlderReleases("refuses a production-only policy on a VM whose version can never make production checkpoints", async () => {
            const { host, vm } = await setup({ os: "2019" });
            const id = await vm({ version: "5.0" });
            await expectCode(
                host.applyCheckpointSettings({ id }, { checkpointType: "ProductionOnly", refuseImpossibleProductionOnly: true }),
                "ProductionUnavailable",
            );
        });

        onOlderReleases("refuses automatic checkpoints on a host that has none (2016)", async () => {
            const { host, vm } = await setup({ os: "2016" });
            const id = await vm({ state: "Off" });
            await expectCode(host.applyCheckpointSettings({ id }, { automaticCheckpointsEnabled: true }), subject.unsupportedOnOldHost);
        });

        it("refuses every change of a VM that is stopping as the VM's state, and changes nothing; a change that writes nothing goes through", async () => {
            const { host, folder, vm } = await setup();
            const id = await vm({ checkpointType: "Production", backupService: "disabled" });
            const taken = await host.takeCheckpoint({ id }, { name: "a" });
            await setVm(folder, { id }, { state: "Stopping" });
            const before = readLab(folder);
            await expectCode(host.applyCheckpointSettings({ id }, { checkpointType: "Standard" }), "InvalidVmState");
            await expectCode(host.applyCheckpointSettings({ id }, { enableBackupIntegration: true }), "InvalidVmState");
            await expectCode(host.takeCheckpoint({ id }, { name: "x" }), "InvalidVmState");
            await expectCode(host.applyCheckpoint(id, taken.checkpoint.id), "InvalidVmState");
            await expectCode(host.renameCheckpoint(id, taken.checkpoint.id, "b"), "InvalidVmState");
            await expectCode(host.removeCheckpoint(id, taken.checkpoint.id), "InvalidVmState");
            await expectCode(host.startVm(id), "InvalidVmState");
            await expectCode(host.suspendVm(id), "InvalidVmState");
            assert.deepEqual(readLab(folder).vms, before.vms);
            assert.deepEqual(readLab(folder).checkpoints, before.checkpoints);
            assert.equal((await host.applyCheckpointSettings({ id }, { checkpointType: "Production" })).after.checkpointType, "Production");
        });

        it("refuses a file location change of a VM busy with another operation as busy, not as a location locked by checkpoints", async () => {
            const { host, folder, vm } = await setup();
            const id = await vm({ checkpointType: "Production" });
            // A production checkpoint takes 15 s at real speed: 6 s here, while the change is asked for.
            await setHostSettings(folder, { latency: { profile: "realistic", timeScale: 0.4 } });
            const busy = takeCheckpointOutOfBand(folder, { id }, { name: "slow" });
            try {
                await new Promise((r) => setTimeout(r, 500));
                const refused = await expectCode(host.applyCheckpointSettings({ id }, { checkpointFileLocation: "E:\\Elsewhere" }), "InvalidVmState");
                assert.doesNotMatch(refused.message, /delete/i, "no advice to delete checkpoints");
            } finally {
                await busy;
            }
            assert.equal((await host.getVm({ id })).checkpointFileLocation, readLab(folder).vms[0]!.checkpointFileLocation);
            assert.notEqual(readLab(folder).vms[0]!.checkpointFileLocation, "E:\\Elsewhere");
        });
    });
}

async function expectCode(action: Promise<unknown>, code: HostErrorCode): Promise<Error> {
    return rejectsWith(() => action, code);
}
