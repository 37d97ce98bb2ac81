import * as assert from "node:assert/strict";
import { configure, policyProvider } from "../../provider";
import { readLab, removeLabCheckpoint, setVm, takeCheckpointOutOfBand } from "../../provider/lab";
import { liveSettings } from "../../provider/resources/policy/plan";
import { policyOutputsSchema } from "../../provider/resources/policy/schema";
import {
    assertOneReadableLine,
    create,
    destroy,
    diff,
    failsWith,
    journalText,
    labVm,
    labWith,
    read,
    recordWrites,
    removeLabs,
    removeVmOutOfBand,
    update,
    type Props,
} from "./helpers";

const DEFAULT_LOCATION = "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V";

/** Captures what the provider writes to stderr (its warnings) while `work` runs. */
async function stderrOf(work: () => Promise<void>): Promise<string> {
    const original = process.stderr.write.bind(process.stderr);
    let text = "";
    process.stderr.write = ((chunk: string | Uint8Array) => {
        text += String(chunk);
        return true;
    }) as typeof process.stderr.write;
    try {
        await work();
    } finally {
        process.stderr.write = original;
    }
    return text;
}

describe("VmCheckpointPolicy against the lab host", () => {
    afterEach(removeLabs);

    describe("create", () => {
        it("applies only the settings that differ and records the ones the VM had", async () => {
            const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Production", automaticCheckpointsEnabled: false }]);
            const writes = recordWrites();
            const { id, outs } = await create(policyProvider, {
                vmName: "web01",
                type: "standard",
                fileLocation: "D:\\Checkpoints\\web01",
                automaticCheckpoints: false,
            });
            const vm = labVm(lab, "web01");
            assert.equal(id, vm.id);
            assert.deepEqual([vm.checkpointType, vm.checkpointFileLocation, vm.automaticCheckpointsEnabled], ["Standard", "D:\\Checkpoints\\web01", false]);
            assert.deepEqual(
                writes.map((w) => w.changed),
                [{ checkpointType: "Standard", checkpointFileLocation: "D:\\Checkpoints\\web01" }],
                "one call changing the two settings that differ; automaticCheckpoints already matched",
            );
            assert.deepEqual(outs.priorSettings, {
                checkpointType: "Production",
                fileLocation: DEFAULT_LOCATION,
                automaticCheckpoints: false,
                backupIntegrationEnabled: true,
            });
            assert.equal(outs.vmId, vm.id);
            assert.equal(outs.vmName, "web01");
            assert.equal(outs.checkpointType, "Standard");
            assert.equal(outs.checkpointFileLocation, "D:\\Checkpoints\\web01");
            assert.equal(outs.configurationVersion, vm.version);
        });

        it("writes nothing when it adopts a VM whose settings already match", async () => {
            const lab = await labWith([
                { name: "web01", state: "Running", checkpointType: "ProductionOnly", checkpointFileLocation: "D:\\cp", automaticCheckpointsEnabled: true },
            ]);
            const before = journalText(lab);
            const writes = recordWrites();
            const { outs } = await create(policyProvider, {
                vmName: "web01",
                type: "production",
                fallbackToStandard: false,
                fileLocation: "d:\\CP\\",
                automaticCheckpoints: true,
                ensureBackupIntegration: true,
            });
            assert.deepEqual(writes, []);
            assert.equal(journalText(lab), before, "the lab journal is byte-identical");
            assert.deepEqual(outs.priorSettings, liveSettings(policyOutputsSchema.parse(outs)));
            assert.equal(outs.checkpointType, "ProductionOnly");
        });

        it("leaves the fields it is not given as found and reads them back into the outputs", async () => {
            const lab = await labWith([
                { name: "web01", checkpointType: "Standard", checkpointFileLocation: "E:\\old", automaticCheckpointsEnabled: true, backupService: "disabled" },
            ]);
            const { outs } = await create(policyProvider, { vmName: "web01", fileLocation: "D:\\new" });
            const vm = labVm(lab, "web01");
            assert.deepEqual([vm.checkpointType, vm.automaticCheckpointsEnabled, vm.checkpointFileLocation], ["Standard", true, "D:\\new"]);
            assert.equal(outs.checkpointType, "Standard");
            assert.equal(outs.automaticCheckpointsEnabled, true);
            for (const field of ["type", "fallbackToStandard", "disabled", "automaticCheckpoints", "ensureBackupIntegration"]) {
                assert.equal(field in outs, false, `${field} is not managed, so not recorded as declared`);
            }
            assert.equal(
                vm.integrationServices.some((s) => s.id.endsWith("5CED1297-4598-4915-A5FC-AD21BB4D02A4") && s.enabled),
                false,
                "the backup service stays disabled",
            );
        });

        it("maps the declaration to Hyper-V's CheckpointType", async () => {
            const cases: [Props, string][] = [
                [{ type: "production" }, "Production"],
                [{ type: "production", fallbackToStandard: true }, "Production"],
                [{ type: "production", fallbackToStandard: false }, "ProductionOnly"],
                [{ type: "standard" }, "Standard"],
                [{ type: "standard", disabled: true }, "Disabled"],
                [{ disabled: true }, "Disabled"],
            ];
            for (const [declaration, expected] of cases) {
                const lab = await labWith([{ name: "web01", state: "Running", checkpointType: expected === "Standard" ? "Production" : "Standard" }]);
                await create(policyProvider, { vmName: "web01", ...declaration });
                assert.equal(labVm(lab, "web01").checkpointType, expected, JSON.stringify(declaration));
            }
        });

        it("enables the backup integration service when asked, and then production checkpoints are possible", async () => {
            const lab = await labWith([{ name: "web01", state: "Running", backupService: "disabled" }]);
            const { outs } = await create(policyProvider, { vmName: "web01", type: "production", ensureBackupIntegration: true });
            assert.ok(labVm(lab, "web01").integrationServices.find((s) => s.id.endsWith("5CED1297-4598-4915-A5FC-AD21BB4D02A4"))!.enabled);
            assert.equal(outs.productionCheckpointPossible, true);
            assert.equal(outs.productionBlockedBy, null);
        });

        it("says why production checkpoints are not possible now when the backup service is off", async () => {
            await labWith([{ name: "web01", state: "Running", backupService: "disabled" }]);
            const { outs } = await create(policyProvider, { vmName: "web01", type: "production" });
            assert.equal(outs.productionCheckpointPossible, false);
            assert.match(String(outs.productionBlockedBy), /backup \(volume shadow copy\) integration service is disabled/);
        });

        it("refuses to enable a backup service the VM does not have, before changing anything", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Standard", backupService: "none" }]);
            const before = journalText(lab);
            await failsWith(
                () => create(policyProvider, { vmName: "web01", type: "production", ensureBackupIntegration: true }),
                /no backup \(volume shadow copy\) integration service to enable/,
                /Remove ensureBackupIntegration/,
            );
            assert.equal(journalText(lab), before);
        });

        it("defers a file location change while the VM has checkpoints, applying the rest and naming them; refuses it on the next try if they stay", async () => {
            const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Production" }]);
            await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "before patch" });
            await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "after patch" });
            const location = labVm(lab, "web01").checkpointFileLocation;
            const declared = { vmName: "web01", type: "standard", automaticCheckpoints: true, fileLocation: "D:\\elsewhere" };
            const state = await create(policyProvider, declared);
            assert.equal(labVm(lab, "web01").checkpointFileLocation, location);
            assert.equal(labVm(lab, "web01").checkpointType, "Standard");
            assert.equal(labVm(lab, "web01").automaticCheckpointsEnabled, true);
            assert.equal(state.outs.fileLocationPending, "D:\\elsewhere");
            assert.match(
                String(state.outs.warning),
                /fileLocation stays .* for now, everything else was applied: .* 2 checkpoint\(s\): "before patch", "after patch"\. If this `pulumi up` deletes them .* moves it to D:\\elsewhere/,
            );
            const before = journalText(lab);
            const message = await failsWith(
                () => update(policyProvider, state, declared),
                /fileLocation cannot change from .* to D:\\elsewhere while the VM has 2 checkpoint\(s\): "before patch", "after patch"; it was deferred on the last `up`/,
                /Delete or merge those checkpoints first/,
            );
            assertOneReadableLine(message, lab);
            assert.equal(journalText(lab), before);
        });

        it("names five checkpoints and counts the rest when a VM has many", async () => {
            const lab = await labWith([{ name: "web01", state: "Off" }]);
            for (let i = 1; i <= 7; i++) await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: `cp${i}` });
            const state = await create(policyProvider, { vmName: "web01", fileLocation: "D:\\x" });
            assert.match(String(state.outs.warning), /7 checkpoint\(s\): "cp1", "cp2", "cp3", "cp4", "cp5" and 2 more/);
        });

        it("applies a deferred file location once the checkpoints are gone, and forgets it", async () => {
            const lab = await labWith([{ name: "web01", state: "Off" }]);
            await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "old" });
            const state = await create(policyProvider, { vmName: "web01", fileLocation: "D:\\x" });
            await removeLabCheckpoint(lab.folder, { name: "web01" }, { name: "old" });
            const after = await update(policyProvider, state, { vmName: "web01", fileLocation: "D:\\x" });
            assert.equal(labVm(lab, "web01").checkpointFileLocation, "D:\\x");
            assert.equal(after.outs.fileLocationPending, null);
            assert.equal(after.outs.warning, null);
        });

        it("refuses production without fallback on a version 5.0 VM before anything changes", async () => {
            const lab = await labWith([{ name: "old01", state: "Running", version: "5.0", checkpointType: "Standard" }]);
            const before = journalText(lab);
            const message = await failsWith(
                () => create(policyProvider, { vmName: "old01", type: "production", fallbackToStandard: false, fileLocation: "D:\\cp" }),
                /production-only checkpoints can never succeed on this VM: configuration version 5\.0 is below 6\.2/,
                /Set fallbackToStandard: true, or upgrade the VM's configuration version/,
            );
            assertOneReadableLine(message, lab);
            assert.match(message, /VM "old01"/);
            assert.equal(journalText(lab), before);
        });

        it("applies production with fallback on a version 5.0 VM and says production is not possible and why", async () => {
            const lab = await labWith([{ name: "old01", state: "Running", version: "5.0", checkpointType: "Standard" }]);
            const { outs } = await create(policyProvider, { vmName: "old01", type: "production" });
            assert.equal(labVm(lab, "old01").checkpointType, "Production");
            assert.equal(outs.configurationVersion, "5.0");
            assert.equal(outs.productionCheckpointPossible, false);
            assert.match(String(outs.productionBlockedBy), /configuration version 5\.0 is below 6\.2; upgrade it with Update-VMVersion/);
        });

        it("says production is not possible while the VM is saved", async () => {
            await labWith([{ name: "web01", state: "Saved" }]);
            const { outs } = await create(policyProvider, { vmName: "web01", type: "production" });
            assert.equal(outs.productionCheckpointPossible, false);
            assert.match(String(outs.productionBlockedBy), /the VM is Saved/);
        });

        it("resolves the VM by id", async () => {
            const lab = await labWith([{ name: "web01" }, { name: "web02" }]);
            const { id } = await create(policyProvider, { vmId: lab.vms.web02!.id.toUpperCase(), type: "standard" });
            assert.equal(id, lab.vms.web02!.id);
            assert.equal(labVm(lab, "web02").checkpointType, "Standard");
            assert.equal(labVm(lab, "web01").checkpointType, "Production");
        });

        it("refuses an ambiguous VM name, listing the ids, and changes nothing", async () => {
            const lab = await labWith([{ name: "web01" }, { name: "web01" }]);
            const before = journalText(lab);
            const message = await failsWith(() => create(policyProvider, { vmName: "web01", type: "standard" }), /use vmId with one of the ids listed/);
            for (const vm of readLab(lab.folder).vms) assert.ok(message.includes(vm.id), `lists ${vm.id}: ${message}`);
            assert.equal(journalText(lab), before);
        });

        it("names the VM and what to do when no VM has the name", async () => {
            const lab = await labWith([{ name: "web01" }]);
            const message = await failsWith(() => create(policyProvider, { vmName: "web99", type: "standard" }), /web99/, /Check the VM's name or id/);
            assertOneReadableLine(message, lab);
        });

        it("fails with a clear error saying how to configure a host when hyperv:host is not set", async () => {
            await labWith([{ name: "web01" }]);
            configure({ get: () => undefined });
            await failsWith(
                () => create(policyProvider, { vmName: "web01", type: "standard" }),
                /no Hyper-V host is configured for this stack: set it with `pulumi config set hyperv:host <address>`/,
                /lab:<folder>/,
            );
        });

        it("fails with an error naming the key when hyperv:host is not an address", async () => {
            assert.throws(
                () => configure({ get: (k) => (k === "hyperv:host" ? "ftp://host" : undefined) }),
                /invalid stack configuration hyperv:host: "ftp:\/\/host" is not a host address: use lab:<folder>, local, ssh:\/\/user@host/,
            );
        });
    });

    describe("older hosts", () => {
        for (const [field, declaration] of [
            ["type", { type: "standard" }],
            ["disabled", { disabled: true }],
        ] as const) {
            it(`refuses "${field}" on a 2012 R2 host, naming its version and the field, before changing anything`, async () => {
                const lab = await labWith([{ name: "web01", state: "Running" }], { os: "2012r2" });
                const before = journalText(lab);
                const message = await failsWith(
                    () => create(policyProvider, { vmName: "web01", fileLocation: "D:\\cp", ...declaration }),
                    /Windows Server 2012 R2 Datacenter \(build 9600\)/,
                    new RegExp(`no checkpoint types .* so "${field}" cannot be applied`),
                    /Remove the field from the resource, or upgrade the Hyper-V host/,
                );
                assertOneReadableLine(message, lab);
                assert.equal(journalText(lab), before);
            });
        }

        it("refuses automaticCheckpoints on a 2016 host, naming its version and the field, before changing anything", async () => {
            const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Production" }], { os: "2016" });
            const before = journalText(lab);
            await failsWith(
                () => create(policyProvider, { vmName: "web01", type: "standard", fileLocation: "D:\\cp", automaticCheckpoints: false }),
                /Windows Server 2016 Datacenter \(build 14393\)/,
                /"automaticCheckpoints" cannot be applied/,
            );
            assert.equal(journalText(lab), before, "the type and file location of the same declaration did not change either");
        });

        it("applies what a 2016 host has, and reports automatic checkpoints as not available", async () => {
            const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Production" }], { os: "2016" });
            const { outs } = await create(policyProvider, { vmName: "web01", type: "standard" });
            assert.equal(labVm(lab, "web01").checkpointType, "Standard");
            assert.equal(outs.automaticCheckpointsEnabled, null);
        });

        it("manages the file location on a 2012 R2 host, which has no checkpoint types", async () => {
            const lab = await labWith([{ name: "web01" }], { os: "2012r2" });
            const { outs } = await create(policyProvider, { vmName: "web01", fileLocation: "D:\\cp" });
            assert.equal(labVm(lab, "web01").checkpointFileLocation, "D:\\cp");
            assert.equal(outs.checkpointType, null);
            assert.equal(outs.productionCheckpointPossible, false, "a 2012 R2 VM is version 5.0");
        });
    });

    describe("read (refresh)", () => {
        it("reports the resource gone when the VM was deleted out of band", async () => {
            const lab = await labWith([{ name: "web01" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            await removeVmOutOfBand(lab, state.id);
            assert.equal(await read(policyProvider, state), undefined);
        });

        it("shows an out-of-band change as drift, and the next update repairs it", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Production" }]);
            const declaration = { vmName: "web01", type: "standard", fileLocation: "D:\\cp" };
            const state = await create(policyProvider, declaration);
            assert.equal((await diff(policyProvider, state, declaration)).changes, false);
            await setVm(lab.folder, { name: "web01" }, { checkpointType: "Disabled" });
            const refreshed = await read(policyProvider, state);
            assert.ok(refreshed);
            assert.equal(refreshed.outs.checkpointType, "Disabled");
            assert.deepEqual(refreshed.outs.priorSettings, state.outs.priorSettings, "the settings found at takeover are kept");
            const d = await diff(policyProvider, refreshed, declaration);
            assert.deepEqual([d.changes, d.replaces], [true, []]);
            const repaired = await update(policyProvider, refreshed, declaration);
            assert.equal(labVm(lab, "web01").checkpointType, "Standard");
            assert.equal(repaired.outs.checkpointType, "Standard");
            assert.equal((await diff(policyProvider, repaired, declaration)).changes, false);
        });

        it("keeps managing a VM renamed out of band: the update applies to it by id", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Production" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            await setVm(lab.folder, { name: "web01" }, { name: "web01-renamed" });
            const refreshed = await read(policyProvider, state);
            assert.ok(refreshed);
            await update(policyProvider, refreshed, { vmName: "web01", type: "production" });
            assert.equal(labVm(lab, "web01-renamed").checkpointType, "Production");
        });

        it("follows a VM renamed out of band, by its id", async () => {
            const lab = await labWith([{ name: "web01" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            await setVm(lab.folder, { name: "web01" }, { name: "web01-renamed" });
            const refreshed = await read(policyProvider, state);
            assert.equal(refreshed?.outs.vmName, "web01-renamed");
            assert.equal(refreshed?.outs.vmId, state.id);
        });
    });

    describe("diff", () => {
        it("reports no changes when the host matches the declaration", async () => {
            await labWith([{ name: "web01" }]);
            const declaration = { vmName: "web01", type: "production", fallbackToStandard: false, fileLocation: "D:\\cp", automaticCheckpoints: true };
            const state = await create(policyProvider, declaration);
            const d = await diff(policyProvider, state, declaration);
            assert.equal(d.changes, false);
            assert.deepEqual(d.replaces, []);
        });

        it("replaces the resource when it names a different VM", async () => {
            const lab = await labWith([{ name: "web01" }, { name: "web02" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            assert.deepEqual((await diff(policyProvider, state, { vmName: "web02", type: "standard" })).replaces, ["vmName"]);
            assert.deepEqual((await diff(policyProvider, state, { vmId: lab.vms.web02!.id, type: "standard" })).replaces, ["vmId"]);
            assert.deepEqual((await diff(policyProvider, state, { vmName: "web01", type: "standard", host: `lab:${lab.folder}-other` })).replaces, ["host"]);
        });

        it("does not replace when the same VM is named by its id instead of its name", async () => {
            const lab = await labWith([{ name: "web01" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            const d = await diff(policyProvider, state, { vmId: lab.vms.web01!.id, type: "standard" });
            assert.deepEqual(d.replaces, []);
        });

        for (const [what, change] of [
            ["type", { type: "production" }],
            ["fallbackToStandard", { type: "standard", disabled: true }],
            ["fileLocation", { fileLocation: "D:\\other" }],
            ["automaticCheckpoints", { automaticCheckpoints: true }],
            ["a field that stops being managed", { type: undefined }],
        ] as const) {
            it(`updates in place when ${what} changes`, async () => {
                await labWith([{ name: "web01" }]);
                const declaration = { vmName: "web01", type: "standard", fileLocation: "D:\\cp" };
                const state = await create(policyProvider, declaration);
                const news = Object.fromEntries(Object.entries({ ...declaration, ...change }).filter(([, v]) => v !== undefined));
                const d = await diff(policyProvider, state, news);
                assert.deepEqual([d.changes, d.replaces], [true, []]);
            });
        }
    });

    describe("update", () => {
        it("applies the new declaration and keeps the settings found at takeover", async () => {
            const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Production" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            const writes = recordWrites();
            const updated = await update(policyProvider, state, { vmName: "web01", type: "production", fallbackToStandard: false, automaticCheckpoints: true });
            assert.deepEqual([labVm(lab, "web01").checkpointType, labVm(lab, "web01").automaticCheckpointsEnabled], ["ProductionOnly", true]);
            assert.deepEqual(
                writes.map((w) => w.changed),
                [{ checkpointType: "ProductionOnly", automaticCheckpointsEnabled: true }],
            );
            assert.equal((updated.outs.priorSettings as Props).checkpointType, "Production");
        });

        it("keeps the declared type while disabled and brings it back when re-enabled", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Production" }]);
            const disabled = await create(policyProvider, { vmName: "web01", type: "standard", disabled: true });
            assert.equal(labVm(lab, "web01").checkpointType, "Disabled");
            await update(policyProvider, disabled, { vmName: "web01", type: "standard", disabled: false });
            assert.equal(labVm(lab, "web01").checkpointType, "Standard");
        });

        it("defers a file location change once checkpoints exist, and applies the rest", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Production", automaticCheckpointsEnabled: false }]);
            const state = await create(policyProvider, { vmName: "web01", fileLocation: "D:\\cp" });
            await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "only one" });
            const after = await update(policyProvider, state, { vmName: "web01", type: "standard", automaticCheckpoints: true, fileLocation: "E:\\cp" });
            assert.equal(labVm(lab, "web01").checkpointFileLocation, "D:\\cp");
            assert.equal(labVm(lab, "web01").checkpointType, "Standard");
            assert.match(String(after.outs.warning), /1 checkpoint\(s\): "only one"/);
        });

        it("refuses production without fallback on a VM below 6.2 and changes nothing", async () => {
            const lab = await labWith([{ name: "old01", version: "6.0", checkpointType: "Production" }]);
            const state = await create(policyProvider, { vmName: "old01", type: "production" });
            const before = journalText(lab);
            await failsWith(
                () => update(policyProvider, state, { vmName: "old01", type: "production", fallbackToStandard: false, automaticCheckpoints: true }),
                /configuration version 6\.0 is below 6\.2/,
            );
            assert.equal(journalText(lab), before);
        });
    });

    describe("delete", () => {
        it("puts back the settings the VM had before", async () => {
            const lab = await labWith([
                { name: "web01", checkpointType: "ProductionOnly", checkpointFileLocation: "E:\\orig", automaticCheckpointsEnabled: false },
            ]);
            const created = await create(policyProvider, { vmName: "web01", type: "standard", fileLocation: "D:\\cp", automaticCheckpoints: true });
            const updated = await update(policyProvider, created, { vmName: "web01", disabled: true, fileLocation: "D:\\cp2", automaticCheckpoints: true });
            assert.equal(labVm(lab, "web01").checkpointType, "Disabled");
            await destroy(policyProvider, updated);
            const vm = labVm(lab, "web01");
            assert.deepEqual([vm.checkpointType, vm.checkpointFileLocation, vm.automaticCheckpointsEnabled], ["ProductionOnly", "E:\\orig", false]);
        });

        it("keeps the file location when checkpoints exist, restores the rest, and says what it could not restore", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Production" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard", fileLocation: "D:\\cp" });
            await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "keep me" });
            const warnings = await stderrOf(() => destroy(policyProvider, state));
            const vm = labVm(lab, "web01");
            assert.equal(vm.checkpointType, "Production");
            assert.equal(vm.checkpointFileLocation, "D:\\cp");
            assert.match(
                warnings,
                /VM "web01" .*fileLocation stays D:\\cp \(was C:\\ProgramData\\Microsoft\\Windows\\Hyper-V\): .* this VM has 1: "keep me"\. Everything else was put back/,
            );
            assert.match(
                warnings,
                /remove those checkpoints, then run `Set-VM -Id [0-9a-f-]{36} -SnapshotFileLocation 'C:\\ProgramData\\Microsoft\\Windows\\Hyper-V'`/,
            );
        });

        it("leaves settings it did not manage as they are now", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Production", checkpointFileLocation: "E:\\orig" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            await setVm(lab.folder, { name: "web01" }, { checkpointFileLocation: "F:\\set-by-admin", automaticCheckpointsEnabled: true });
            await destroy(policyProvider, state);
            const vm = labVm(lab, "web01");
            assert.deepEqual([vm.checkpointType, vm.checkpointFileLocation, vm.automaticCheckpointsEnabled], ["Production", "F:\\set-by-admin", true]);
        });

        it("writes nothing when the VM already has its prior settings back", async () => {
            const lab = await labWith([{ name: "web01", checkpointType: "Production" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            await setVm(lab.folder, { name: "web01" }, { checkpointType: "Production" });
            const before = journalText(lab);
            await destroy(policyProvider, state);
            assert.equal(journalText(lab), before);
        });

        it("succeeds when the VM is already gone", async () => {
            const lab = await labWith([{ name: "web01" }]);
            const state = await create(policyProvider, { vmName: "web01", type: "standard" });
            await removeVmOutOfBand(lab, state.id);
            await destroy(policyProvider, state);
        });
    });
});
