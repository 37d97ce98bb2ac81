import * as assert from "node:assert/strict";
import { checkpointProvider } from "../../provider";
import { labPathOf, readLab, removeLabCheckpoint, renameLabCheckpoint, setVm, startLabVm, takeCheckpointOutOfBand, type NewVm } from "../../provider/lab";
import {
    assertOneReadableLine,
    create,
    destroy,
    diff,
    escapeRegExp,
    failsWith,
    journalText,
    labCheckpoints,
    labVm,
    labWith,
    read,
    recordWrites,
    removeLabs,
    removeVmOutOfBand,
    update,
    type Lab,
    type Props,
    type Provider,
    type State,
} from "./helpers";
import { filesIn } from "../lab/helpers";

/** A lab with one VM "web01" of `spec`. */
async function labWithWeb01(spec: Partial<NewVm> = {}): Promise<Lab> {
    return labWith([{ name: "web01", state: "Running", ...spec }]);
}

/** The checkpoint as the lab has it. */
function onHost(lab: Lab, id: string) {
    return labCheckpoints(lab, "web01").find((c) => c.id === id);
}

/** Asserts that taking a checkpoint is refused, leaving the host as it was. */
async function refusedUnchanged(lab: Lab, news: Props, ...patterns: RegExp[]): Promise<string> {
    const before = journalText(lab);
    const writes = recordWrites();
    const message = await failsWith(() => create(checkpointProvider, news), ...patterns);
    assert.deepEqual(
        writes.map((w) => w.method),
        [],
        "the host took nothing",
    );
    assert.equal(journalText(lab), before, "nothing changed on the host");
    return message;
}

describe("Checkpoint against the lab host", () => {
    afterEach(removeLabs);

    describe("create: what kind of checkpoint is taken and recorded", () => {
        it("takes a production checkpoint of a running VM and records it", async () => {
            const lab = await labWithWeb01({ checkpointType: "Production", checkpointFileLocation: "D:\\cp" });
            const { id, outs } = await create(checkpointProvider, { vmName: "web01", name: "before upgrade" });
            const cp = onHost(lab, id);
            assert.ok(cp, "the id is the host's checkpoint id");
            assert.equal(cp.name, "before upgrade");
            assert.deepEqual(
                [outs.kind, outs.fellBack, outs.holdsMemory, outs.vmStateAtCreation, outs.checkpointName, outs.adopted],
                ["production", false, false, "Running", "before upgrade", false],
            );
            assert.equal(outs.vmId, lab.vms.web01!.id);
            assert.equal(outs.creationTime, cp.creationTime);
            assert.equal(outs.parentCheckpointId, null);
            assert.equal(outs.lastRestoreTime, null);
            assert.deepEqual(filesIn(labPathOf(lab.folder, "D:\\cp")), [`${id.toUpperCase()}.vmcx`], "no memory state file");
        });

        it("takes a standard checkpoint with memory of a running VM whose policy is Standard", async () => {
            const lab = await labWithWeb01({ checkpointType: "Standard" });
            const { id, outs } = await create(checkpointProvider, { vmName: "web01", name: "dev" });
            assert.deepEqual([outs.kind, outs.fellBack, outs.holdsMemory, outs.vmStateAtCreation], ["standard", false, true, "Running"]);
            assert.equal(onHost(lab, id)!.vmState, "Running");
        });

        it("falls back to a standard checkpoint when the VM is saved", async () => {
            await labWithWeb01({ state: "Saved", checkpointType: "Production" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "saved" });
            assert.deepEqual([outs.kind, outs.fellBack, outs.vmStateAtCreation], ["standard", true, "Saved"]);
        });

        it("records the saved state a standard checkpoint of a saved VM holds", async () => {
            await labWithWeb01({ state: "Saved", checkpointType: "Standard" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "saved" });
            assert.equal(outs.holdsMemory, true, "applying it brings the VM back Saved, with its memory");
        });

        it("refuses a production-only checkpoint of a saved VM, saying why, and changes nothing on the host", async () => {
            const lab = await labWithWeb01({ state: "Saved", checkpointType: "ProductionOnly" });
            const message = await refusedUnchanged(
                lab,
                { vmName: "web01", name: "never" },
                /a production-only checkpoint cannot be made now: the VM is Saved/,
                /VmCheckpointPolicy is production-only \(fallbackToStandard: false\): give this Checkpoint type: "production"/i,
            );
            assertOneReadableLine(message, lab);
        });

        it("falls back to standard when the backup integration service is off, and refuses production-only saying so", async () => {
            const lab = await labWithWeb01({ backupService: "disabled", checkpointType: "Production" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "no vss" });
            assert.deepEqual([outs.kind, outs.fellBack, outs.holdsMemory], ["standard", true, true]);
            await refusedUnchanged(lab, { vmName: "web01", name: "never", type: "productionOnly" }, /integration service is disabled/);
        });

        it("falls back to standard when the VM has no backup integration service at all", async () => {
            await labWithWeb01({ backupService: "none" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "no service" });
            assert.deepEqual([outs.kind, outs.fellBack], ["standard", true]);
        });

        it("falls back to standard when the guest does not answer, and refuses production-only saying so", async () => {
            const lab = await labWithWeb01({ guestBackupResponding: false });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "linux" });
            assert.deepEqual([outs.kind, outs.fellBack], ["standard", true]);
            await refusedUnchanged(lab, { vmName: "web01", name: "never", type: "productionOnly" }, /guest's backup service does not answer/, /hv_vss_daemon/);
        });

        it("takes standard checkpoints only of a version 5.0 VM, and refuses production-only naming the version", async () => {
            const lab = await labWithWeb01({ version: "5.0", checkpointType: "Production" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "old" });
            assert.deepEqual([outs.kind, outs.fellBack], ["standard", true]);
            await refusedUnchanged(lab, { vmName: "web01", name: "never", type: "productionOnly" }, /configuration version 5\.0 is below 6\.2/);
        });

        for (const checkpointType of ["Production", "ProductionOnly", "Standard"] as const) {
            it(`takes a disk-only checkpoint without memory of an Off VM (policy ${checkpointType})`, async () => {
                const lab = await labWithWeb01({ state: "Off", checkpointType, version: "5.0", checkpointFileLocation: "D:\\cp" });
                const { id, outs } = await create(checkpointProvider, { vmName: "web01", name: "off" });
                assert.deepEqual([outs.holdsMemory, outs.vmStateAtCreation, outs.fellBack], [false, "Off", false]);
                assert.deepEqual(filesIn(labPathOf(lab.folder, "D:\\cp")), [`${id.toUpperCase()}.vmcx`]);
            });
        }

        it("refuses a checkpoint of a VM whose policy is Disabled, naming the policy", async () => {
            const lab = await labWithWeb01({ checkpointType: "Disabled" });
            const message = await refusedUnchanged(
                lab,
                { vmName: "web01", name: "x" },
                /the VM's checkpoint policy is Disabled/,
                /Enable checkpoints in the VM's VmCheckpointPolicy \(disabled: false\)/,
            );
            assertOneReadableLine(message, lab);
        });

        for (const type of ["production", "productionOnly", "standard"]) {
            it(`never overrides a Disabled policy with a per-checkpoint type (${type})`, async () => {
                const lab = await labWithWeb01({ checkpointType: "Disabled" });
                await refusedUnchanged(
                    lab,
                    { vmName: "web01", name: "x", type },
                    new RegExp(`policy is Disabled, and a per-checkpoint type \\(${type}\\) never overrides it`),
                );
                assert.equal(labVm(lab, "web01").checkpointType, "Disabled");
            });
        }

        for (const state of ["Starting", "Stopping", "Saving", "Pausing", "Resuming"] as const) {
            it(`refuses a checkpoint while the VM is ${state}`, async () => {
                const lab = await labWithWeb01({ state });
                await refusedUnchanged(
                    lab,
                    { vmName: "web01", name: "x" },
                    new RegExp(`the VM is ${state}; Hyper-V refuses checkpoints until it is Running, Off, Saved or Paused`),
                    /Wait until the VM has finished/,
                );
            });
        }

        it("takes a standard checkpoint on a 2012 R2 host, which has no checkpoint types", async () => {
            await labWith([{ name: "web01", state: "Running" }], { os: "2012r2" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "legacy" });
            assert.deepEqual([outs.kind, outs.fellBack, outs.holdsMemory], ["standard", false, true]);
        });

        it("refuses a per-checkpoint type on a 2012 R2 host, naming its version", async () => {
            const lab = await labWith([{ name: "web01", state: "Running" }], { os: "2012r2" });
            await refusedUnchanged(
                lab,
                { vmName: "web01", name: "x", type: "standard" },
                /Windows Server 2012 R2 Datacenter \(build 9600\), which has no checkpoint types, so "type" cannot be applied/,
                /remove type/i,
            );
        });
    });

    describe("create: a type for this checkpoint only", () => {
        it("switches the VM's type for the call only", async () => {
            const lab = await labWithWeb01({ checkpointType: "Standard" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "consistent", type: "production" });
            assert.deepEqual([outs.kind, outs.fellBack, outs.holdsMemory], ["production", false, false]);
            assert.equal(labVm(lab, "web01").checkpointType, "Standard", "the VM's own type is unchanged afterwards");
        });

        it("takes a standard checkpoint of a VM whose policy is production-only", async () => {
            const lab = await labWithWeb01({ checkpointType: "ProductionOnly" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "with memory", type: "standard" });
            assert.deepEqual([outs.kind, outs.holdsMemory], ["standard", true]);
            assert.equal(labVm(lab, "web01").checkpointType, "ProductionOnly");
        });

        it("falls back with type production where the VM's policy would refuse", async () => {
            const lab = await labWithWeb01({ state: "Saved", checkpointType: "ProductionOnly" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", name: "fallback", type: "production" });
            assert.deepEqual([outs.kind, outs.fellBack], ["standard", true]);
            assert.equal(labVm(lab, "web01").checkpointType, "ProductionOnly");
        });

        it("leaves the VM's type unchanged after a refused take", async () => {
            const lab = await labWithWeb01({ state: "Saved", checkpointType: "Standard" });
            await refusedUnchanged(lab, { vmName: "web01", name: "never", type: "productionOnly" }, /the VM is Saved/);
            assert.equal(labVm(lab, "web01").checkpointType, "Standard");
        });
    });

    describe("create: the 50 checkpoint limit", () => {
        it("refuses the 51st, counting them and naming the limit and the fix, and changes nothing on the host", async () => {
            const lab = await labWithWeb01({ state: "Off" });
            for (let i = 1; i <= 50; i++) await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: `cp${i}` });
            const message = await refusedUnchanged(
                lab,
                { vmName: "web01", name: "one too many" },
                /the VM already has 50 checkpoints, Hyper-V's limit is 50/,
                /Delete or merge old ones first/,
                /pulumi destroy --target <URN>/,
            );
            assertOneReadableLine(message, lab);
            assert.match(message, /checkpoint "one too many"/);
            assert.equal(labCheckpoints(lab, "web01").length, 50);
        });

        it("takes the 50th", async () => {
            const lab = await labWithWeb01({ state: "Off" });
            for (let i = 1; i <= 49; i++) await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: `cp${i}` });
            await create(checkpointProvider, { vmName: "web01", name: "fiftieth" });
            assert.equal(labCheckpoints(lab, "web01").length, 50);
        });
    });

    describe("create: many at once", () => {
        it("takes ten checkpoints of one VM in parallel, chained in creation order", async () => {
            const lab = await labWithWeb01();
            const states = await Promise.all(Array.from({ length: 10 }, (_, i) => create(checkpointProvider, { vmName: "web01", name: `step ${i}` })));
            const onLab = labCheckpoints(lab, "web01");
            assert.equal(onLab.length, 10);
            assert.deepEqual(new Set(states.map((s) => s.id)), new Set(onLab.map((c) => c.id)));
            for (let i = 0; i < onLab.length; i++) {
                assert.equal(onLab[i]!.parentId, i === 0 ? null : onLab[i - 1]!.id, `checkpoint ${i} descends from the one before`);
                const state = states.find((s) => s.id === onLab[i]!.id)!;
                assert.equal(state.outs.parentCheckpointId, onLab[i]!.parentId, "the recorded parent is the host's");
            }
            assert.equal(labVm(lab, "web01").parentCheckpointId, onLab[9]!.id);
        });

        it("takes checkpoints of different VMs in parallel", async () => {
            const lab = await labWith(["a", "b", "c"].map((name) => ({ name, state: "Running" as const })));
            await Promise.all(["a", "b", "c"].flatMap((vmName) => [1, 2, 3].map((i) => create(checkpointProvider, { vmName, name: `${vmName}${i}` }))));
            for (const vm of ["a", "b", "c"]) {
                const cps = labCheckpoints(lab, vm);
                assert.equal(cps.length, 3);
                assert.deepEqual(
                    cps.map((c) => c.parentId),
                    [null, cps[0]!.id, cps[1]!.id],
                );
            }
        });

        it("identifies a checkpoint by its id, not its name", async () => {
            const lab = await labWithWeb01();
            const first = await create(checkpointProvider, { vmName: "web01", name: "same" });
            const second = await create(checkpointProvider, { vmName: "web01", name: "same" });
            assert.notEqual(first.id, second.id);
            await update(checkpointProvider, second, { vmName: "web01", name: "second" });
            assert.equal(onHost(lab, first.id)!.name, "same");
            assert.equal(onHost(lab, second.id)!.name, "second");
            await destroy(checkpointProvider, first);
            assert.deepEqual(
                labCheckpoints(lab, "web01").map((c) => c.id),
                [second.id],
            );
        });

        it("refuses an ambiguous VM name, listing the ids", async () => {
            const lab = await labWith([{ name: "web01" }, { name: "web01" }]);
            const ids = readLab(lab.folder).vms.map((vm) => vm.id);
            const before = journalText(lab);
            const message = await failsWith(() => create(checkpointProvider, { vmName: "web01", name: "x" }), /use vmId with one of the ids listed/);
            for (const id of ids) assert.ok(message.includes(id), `lists ${id}: ${message}`);
            assert.equal(journalText(lab), before);
        });
    });

    describe("diff", () => {
        let lab: Lab;
        let state: State;
        const declared = { vmName: "web01", name: "before upgrade", restoreTrigger: "1" };
        beforeEach(async () => {
            lab = await labWith([
                { name: "web01", state: "Running" },
                { name: "web02", state: "Running" },
            ]);
            state = await create(checkpointProvider, declared);
        });

        it("reports no changes when nothing changed", async () => {
            assert.equal((await diff(checkpointProvider, state, declared)).changes, false);
        });

        it("renames in place", async () => {
            const d = await diff(checkpointProvider, state, { ...declared, name: "before upgrade v2" });
            assert.deepEqual([d.changes, d.replaces], [true, []]);
        });

        it("updates in place when the restore trigger changes", async () => {
            const d = await diff(checkpointProvider, state, { ...declared, restoreTrigger: "2" });
            assert.deepEqual([d.changes, d.replaces], [true, []]);
        });

        it("replaces when the type changes", async () => {
            assert.deepEqual((await diff(checkpointProvider, state, { ...declared, type: "standard" })).replaces, ["type"]);
        });

        it("replaces when the VM changes", async () => {
            assert.deepEqual((await diff(checkpointProvider, state, { ...declared, vmName: "web02" })).replaces, ["vmName"]);
            const byId = { name: declared.name, restoreTrigger: "1", vmId: lab.vms.web02!.id };
            assert.deepEqual((await diff(checkpointProvider, state, byId)).replaces, ["vmId"]);
        });

        it("does not replace when the same VM is named by its id", async () => {
            const d = await diff(checkpointProvider, state, { name: declared.name, restoreTrigger: "1", vmId: lab.vms.web01!.id });
            assert.deepEqual(d.replaces, []);
        });
    });

    describe("update", () => {
        it("renames the checkpoint", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "before" });
            const updated = await update(checkpointProvider, state, { vmName: "web01", name: "after" });
            assert.equal(onHost(lab, state.id)!.name, "after");
            assert.equal(updated.outs.checkpointName, "after");
            assert.equal(updated.outs.name, "after");
            assert.equal(updated.outs.kind, state.outs.kind, "what was taken stays recorded");
        });

        it("leaves the VM Off after applying a production checkpoint, descending from it", async () => {
            const lab = await labWithWeb01({ checkpointType: "Production" });
            const state = await create(checkpointProvider, { vmName: "web01", name: "prod", restoreTrigger: "a" });
            await create(checkpointProvider, { vmName: "web01", name: "later" });
            const updated = await update(checkpointProvider, state, { vmName: "web01", name: "prod", restoreTrigger: "b" });
            const vm = labVm(lab, "web01");
            assert.equal(vm.state, "Off");
            assert.equal(vm.parentCheckpointId, state.id);
            assert.ok(typeof updated.outs.lastRestoreTime === "string" && !Number.isNaN(Date.parse(updated.outs.lastRestoreTime)));
            assert.equal(updated.outs.restoreTrigger, "b");
        });

        it("leaves the VM Off after applying a disk-only checkpoint of an Off VM", async () => {
            const lab = await labWithWeb01({ state: "Off", checkpointType: "Standard" });
            const state = await create(checkpointProvider, { vmName: "web01", name: "off" });
            await startLabVm(lab.folder, { name: "web01" });
            await update(checkpointProvider, state, { vmName: "web01", name: "off", restoreTrigger: "go" });
            assert.equal(labVm(lab, "web01").state, "Off");
        });

        it("leaves the VM Saved after applying a standard checkpoint with memory", async () => {
            const lab = await labWithWeb01({ checkpointType: "Standard" });
            const state = await create(checkpointProvider, { vmName: "web01", name: "mem" });
            await update(checkpointProvider, state, { vmName: "web01", name: "mem", restoreTrigger: "1" });
            assert.equal(labVm(lab, "web01").state, "Saved");
        });

        it("starts the VM after applying when startAfterRestore is set", async () => {
            const lab = await labWithWeb01({ checkpointType: "Production" });
            const state = await create(checkpointProvider, { vmName: "web01", name: "prod" });
            await update(checkpointProvider, state, { vmName: "web01", name: "prod", restoreTrigger: "1", startAfterRestore: true });
            assert.equal(labVm(lab, "web01").state, "Running");
        });

        it("branches new checkpoints from the applied one", async () => {
            const lab = await labWithWeb01();
            const a = await create(checkpointProvider, { vmName: "web01", name: "a" });
            await create(checkpointProvider, { vmName: "web01", name: "b" });
            await update(checkpointProvider, a, { vmName: "web01", name: "a", restoreTrigger: "1" });
            await startLabVm(lab.folder, { name: "web01" });
            const c = await create(checkpointProvider, { vmName: "web01", name: "c" });
            assert.equal(c.outs.parentCheckpointId, a.id);
            assert.equal(onHost(lab, c.id)!.parentId, a.id);
        });

        it("renames and applies in one update", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x" });
            const updated = await update(checkpointProvider, state, { vmName: "web01", name: "y", restoreTrigger: "1" });
            assert.equal(onHost(lab, state.id)!.name, "y");
            assert.equal(labVm(lab, "web01").parentCheckpointId, state.id);
            assert.notEqual(updated.outs.lastRestoreTime, null);
        });

        it("does not apply a checkpoint when it is created with a restore trigger", async () => {
            const lab = await labWithWeb01({ checkpointType: "Production" });
            const state = await create(checkpointProvider, { vmName: "web01", name: "x", restoreTrigger: "1", startAfterRestore: true });
            assert.equal(labVm(lab, "web01").state, "Running");
            assert.equal(state.outs.lastRestoreTime, null);
        });

        it("does not apply the checkpoint when only startAfterRestore changes", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x", restoreTrigger: "1" });
            await create(checkpointProvider, { vmName: "web01", name: "later" });
            const before = journalText(lab);
            await update(checkpointProvider, state, { vmName: "web01", name: "x", restoreTrigger: "1", startAfterRestore: true });
            assert.equal(journalText(lab), before);
        });

        it("fails readably when the checkpoint was removed out of band", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x" });
            await removeLabCheckpoint(lab.folder, { name: "web01" }, { id: state.id });
            const message = await failsWith(
                () => update(checkpointProvider, state, { vmName: "web01", name: "y" }),
                new RegExp(escapeRegExp(state.id)),
                /run `pulumi refresh`, and the next `pulumi up` takes a new one of the VM as it is now/,
            );
            assertOneReadableLine(message, lab);
            assert.match(message, /VM "web01"/);
        });
    });

    describe("read (refresh)", () => {
        it("keeps a checkpoint removed out of band in the stack, marked gone, so that up can refuse a rollback to it", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x" });
            await removeLabCheckpoint(lab.folder, { name: "web01" }, { id: state.id });
            assert.equal((await read(checkpointProvider, state))?.outs.present, false);
        });

        it("reports the checkpoint gone when its VM was removed out of band", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x" });
            await removeVmOutOfBand(lab, lab.vms.web01!.id);
            assert.equal(await read(checkpointProvider, state), undefined);
        });

        it("shows a rename out of band as drift, which the next update repairs", async () => {
            const lab = await labWithWeb01();
            const declared = { vmName: "web01", name: "mine" };
            const state = await create(checkpointProvider, declared);
            await renameLabCheckpoint(lab.folder, { name: "web01" }, { id: state.id }, "theirs");
            const refreshed = await read(checkpointProvider, state);
            assert.equal(refreshed?.outs.checkpointName, "theirs");
            const d = await diff(checkpointProvider, refreshed!, declared);
            assert.deepEqual([d.changes, d.replaces], [true, []]);
            await update(checkpointProvider, refreshed!, declared);
            assert.equal(onHost(lab, state.id)!.name, "mine");
        });

        it("hands back the declaration as the host has it only when it changed since the state was written", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "mine" });
            const provider: Provider = checkpointProvider;
            const unchanged = await provider.read!(state.id, state.outs);
            assert.equal(unchanged.inputs, undefined, "nothing drifted: the engine keeps the inputs it has");
            await renameLabCheckpoint(lab.folder, { name: "web01" }, { id: state.id }, "theirs");
            const drifted = await provider.read!(state.id, state.outs);
            assert.equal((drifted.inputs as Props | undefined)?.name, "theirs", "the next preview shows ~ name");
            const again = await provider.read!(state.id, drifted.props as Props);
            assert.equal(again.inputs, undefined, "still drifted, already said: the inputs stored by the last refresh stay");
        });

        it("follows the parent pointer when a parent is merged away", async () => {
            const lab = await labWithWeb01();
            const a = await create(checkpointProvider, { vmName: "web01", name: "a" });
            const b = await create(checkpointProvider, { vmName: "web01", name: "b" });
            const c = await create(checkpointProvider, { vmName: "web01", name: "c" });
            await removeLabCheckpoint(lab.folder, { name: "web01" }, { id: b.id });
            assert.equal((await read(checkpointProvider, c))?.outs.parentCheckpointId, a.id);
        });
    });

    describe("adoption by id", () => {
        it("takes over a standard checkpoint with memory without taking a new one", async () => {
            const lab = await labWithWeb01({ checkpointType: "Standard" });
            const existing = await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "made by hand" });
            const before = journalText(lab);
            const { id, outs } = await create(checkpointProvider, { vmName: "web01", adoptId: existing.checkpoint.id.toUpperCase() });
            assert.equal(id, existing.checkpoint.id);
            assert.equal(journalText(lab), before, "nothing taken, nothing written");
            assert.deepEqual([outs.kind, outs.fellBack, outs.holdsMemory, outs.adopted, outs.checkpointName], ["standard", null, true, true, "made by hand"]);
        });

        it("records the kind as unknown when the checkpoint holds no memory", async () => {
            const lab = await labWithWeb01({ checkpointType: "Production" });
            const existing = await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "production" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", adoptId: existing.checkpoint.id });
            assert.deepEqual([outs.kind, outs.holdsMemory], ["unknown", false]);
        });

        it("records a checkpoint of a saved VM as standard: production checkpoints are never made of one", async () => {
            const lab = await labWithWeb01({ state: "Saved", checkpointType: "Standard" });
            const existing = await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "saved" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", adoptId: existing.checkpoint.id });
            assert.deepEqual([outs.kind, outs.holdsMemory, outs.vmStateAtCreation], ["standard", true, "Saved"]);
        });

        it("renames the adopted checkpoint when a name is declared", async () => {
            const lab = await labWithWeb01();
            const existing = await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "old name" });
            const { outs } = await create(checkpointProvider, { vmName: "web01", adoptId: existing.checkpoint.id, name: "new name" });
            assert.equal(onHost(lab, existing.checkpoint.id)!.name, "new name");
            assert.equal(outs.checkpointName, "new name");
            assert.equal(labCheckpoints(lab, "web01").length, 1);
        });

        it("manages an adopted checkpoint like any other: the diff after adoption is empty, and delete removes it", async () => {
            const lab = await labWithWeb01();
            const existing = await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "adopted" });
            const declared = { vmName: "web01", adoptId: existing.checkpoint.id };
            const state = await create(checkpointProvider, declared);
            assert.equal((await diff(checkpointProvider, state, declared)).changes, false);
            await destroy(checkpointProvider, state);
            assert.deepEqual(labCheckpoints(lab, "web01"), []);
        });

        it("refuses an automatic checkpoint", async () => {
            const lab = await labWithWeb01({ state: "Off", automaticCheckpointsEnabled: true });
            await startLabVm(lab.folder, { name: "web01" });
            const automatic = labCheckpoints(lab, "web01")[0];
            assert.ok(automatic?.isAutomatic, "starting the VM took an automatic checkpoint");
            const before = journalText(lab);
            await failsWith(
                () => create(checkpointProvider, { vmName: "web01", adoptId: automatic.id, name: "mine now" }),
                /it is an automatic checkpoint, which Hyper-V manages itself/,
            );
            assert.equal(journalText(lab), before, "not renamed either");
        });

        for (const snapshotType of ["Recovery", "Replica", "AppConsistentReplica"] as const) {
            it(`refuses a ${snapshotType} checkpoint`, async () => {
                const lab = await labWithWeb01();
                const other = await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "backup", snapshotType });
                await failsWith(
                    () => create(checkpointProvider, { vmName: "web01", adoptId: other.checkpoint.id }),
                    new RegExp(`it is a ${snapshotType} checkpoint, which belongs to Hyper-V Replica or backup software`),
                );
            });
        }

        it("fails clearly for an id the VM does not have", async () => {
            const lab = await labWith([
                { name: "web01", state: "Running" },
                { name: "web02", state: "Running" },
            ]);
            const elsewhere = await takeCheckpointOutOfBand(lab.folder, { name: "web02" }, { name: "of web02" });
            const message = await failsWith(
                () => create(checkpointProvider, { vmName: "web01", adoptId: elsewhere.checkpoint.id }),
                new RegExp(`the VM has no checkpoint ${elsewhere.checkpoint.id} to adopt`),
                /Get-VMSnapshot -VMName <vm>/,
            );
            assertOneReadableLine(message, lab);
            assert.match(message, /^adopt checkpoint failed on host/);
        });
    });

    describe("delete", () => {
        it("removes the checkpoint by id and re-parents its children", async () => {
            const lab = await labWithWeb01({ checkpointFileLocation: "D:\\cp" });
            const a = await create(checkpointProvider, { vmName: "web01", name: "a" });
            const b = await create(checkpointProvider, { vmName: "web01", name: "b" });
            const c = await create(checkpointProvider, { vmName: "web01", name: "c" });
            await destroy(checkpointProvider, b);
            assert.deepEqual(
                labCheckpoints(lab, "web01").map((cp) => [cp.id, cp.parentId]),
                [
                    [a.id, null],
                    [c.id, a.id],
                ],
            );
            assert.equal(
                filesIn(labPathOf(lab.folder, "D:\\cp")).some((f) => f.startsWith(b.id.toUpperCase())),
                false,
                "its files are gone",
            );
        });

        it("succeeds when the checkpoint is already gone", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x" });
            await removeLabCheckpoint(lab.folder, { name: "web01" }, { id: state.id });
            await destroy(checkpointProvider, state);
        });

        it("succeeds when the VM is already gone", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x" });
            await removeVmOutOfBand(lab, lab.vms.web01!.id);
            await destroy(checkpointProvider, state);
        });

        it("never touches the VM's automatic, Recovery and Replica checkpoints", async () => {
            const lab = await labWithWeb01({ state: "Off", automaticCheckpointsEnabled: true });
            await startLabVm(lab.folder, { name: "web01" });
            await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "backup", snapshotType: "Recovery" });
            await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "replica", snapshotType: "Replica" });
            const others = labCheckpoints(lab, "web01").map((c) => c.id);
            assert.equal(others.length, 3);
            const mine = await create(checkpointProvider, { vmName: "web01", name: "mine" });
            await destroy(checkpointProvider, mine);
            assert.deepEqual(
                labCheckpoints(lab, "web01").map((c) => c.id),
                others,
            );
        });

        it("reports a refused removal readably (VM mid-operation)", async () => {
            const lab = await labWithWeb01();
            const state = await create(checkpointProvider, { vmName: "web01", name: "x" });
            await setVm(lab.folder, { name: "web01" }, { state: "Stopping" });
            const message = await failsWith(() => destroy(checkpointProvider, state), /remove checkpoint failed/, /Stopping|current state/);
            assertOneReadableLine(message, lab);
            assert.ok(onHost(lab, state.id), "still there");
        });
    });
});
