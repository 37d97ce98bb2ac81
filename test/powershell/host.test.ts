import assert from "node:assert/strict";
import { isHostError } from "../../provider/host/errors";
import type { HyperVHost } from "../../provider/host/port";
import { createPowerShellHost } from "../../provider/powershell";
import * as out from "./fixtures/outputs";
import { RecordingTransport } from "./support/recording-transport";

const VM = out.VM_ID.toLowerCase();
const vmDoc = JSON.parse(out.ps7ReadVmWithCheckpoints).ok.vm;
const checkpointDoc = JSON.parse(out.ps7ReadVmWithCheckpoints).ok.checkpoints[1];

/** A scripted host answering every operation with realistic PowerShell 7 output. */
function scripted(overrides: Partial<Record<string, (input: Record<string, unknown>) => unknown>> = {}) {
    return new RecordingTransport(async (operation, input) => {
        const override = overrides[operation];
        if (override) return override(input);
        switch (operation) {
            case "read host capabilities":
                return JSON.parse(out.ps7Capabilities);
            case "read VM": {
                const listing = JSON.parse(out.ps7ReadVmWithCheckpoints).ok;
                return { ok: { vm: vmDoc, ...(input.includeCheckpoints ? { checkpoints: listing.checkpoints, storage: listing.storage } : {}) } };
            }
            case "rename checkpoint":
                return { ok: { checkpoint: checkpointDoc } };
            case "take checkpoint":
                return JSON.parse(out.ps7Taken);
            case "apply checkpoint settings":
                return JSON.parse(out.ps7AppliedSettings);
            case "remove checkpoint":
                return { ok: { removed: out.CP2 } };
            default:
                return { ok: { vm: vmDoc } };
        }
    });
}

function hostOn(transport: RecordingTransport): HyperVHost {
    return createPowerShellHost({ kind: "local", timeouts: { operationSeconds: 120, removalSeconds: 3600, connectSeconds: 60 } }, { transport });
}

describe("the PowerShell host makes one round trip per operation", () => {
    const calls: [string, (h: HyperVHost) => Promise<unknown>][] = [
        ["capabilities", (h) => h.capabilities()],
        ["getVm by name", (h) => h.getVm({ name: "web-01" })],
        ["getVm by id", (h) => h.getVm({ id: VM })],
        ["getVmWithCheckpoints", (h) => h.getVmWithCheckpoints({ name: "web-01" })],
        [
            "applyCheckpointSettings by id",
            (h) => h.applyCheckpointSettings({ id: VM }, { checkpointType: "Standard", automaticCheckpointsEnabled: false, enableBackupIntegration: true }),
        ],
        [
            "applyCheckpointSettings by name",
            (h) => h.applyCheckpointSettings({ name: "web-01" }, { reenableCheckpoints: true, fileLocationWhileCheckpointed: "keep" }),
        ],
        ["takeCheckpoint with a temporary type", (h) => h.takeCheckpoint({ id: VM }, { name: "nightly", temporaryType: "Production" })],
        ["takeCheckpoint of a VM named by name", (h) => h.takeCheckpoint({ name: "web-01" }, { name: "nightly" })],
        ["applyCheckpoint", (h) => h.applyCheckpoint(VM, out.CP2, { start: true })],
        ["renameCheckpoint", (h) => h.renameCheckpoint(VM, out.CP2, "renamed")],
        ["removeCheckpoint", (h) => h.removeCheckpoint(VM, out.CP2)],
    ];
    for (const [name, call] of calls) {
        it(`${name}: exactly one invocation`, async () => {
            const transport = scripted();
            await call(hostOn(transport));
            assert.equal(transport.invocations.length, 1);
        });
    }

    it("reads the capabilities once per session", async () => {
        const transport = scripted();
        const host = hostOn(transport);
        const [a, b] = await Promise.all([host.capabilities(), host.capabilities()]);
        await host.capabilities();
        assert.equal(transport.invocations.length, 1);
        assert.equal(a, b);
    });

    it("reads the capabilities again after a failed read", async () => {
        let fail = true;
        const transport = scripted({ "read host capabilities": () => (fail ? JSON.parse(out.errorEnvelopes.accessDenied) : JSON.parse(out.ps7Capabilities)) });
        const host = hostOn(transport);
        await assert.rejects(host.capabilities(), (e: unknown) => isHostError(e, "AccessDenied"));
        fail = false;
        assert.equal((await host.capabilities()).osBuild, 20348);
    });
});

describe("the PowerShell host passes inputs as data", () => {
    it("sends the VM name, checkpoint name, temporary type and take limits in the parameter", async () => {
        const transport = scripted();
        const host = hostOn(transport);
        const guard = { minFreeSpace: "10%", maxChainDepth: 4 };
        await host.takeCheckpoint({ id: VM }, { name: "it's $(bad)", temporaryType: "ProductionOnly", guard });
        const [call] = transport.invocations;
        assert.deepEqual(call!.input, { vm: { id: VM }, name: "it's $(bad)", temporaryType: "ProductionOnly", guard });
        assert.ok(!call!.script.includes("$(bad)"), "the name is not in the script text");
        assert.equal(call!.options.readOnly, false);
    });

    it("gives removal the longer timeout and reads no timeout override otherwise", async () => {
        const transport = scripted();
        const host = hostOn(transport);
        await host.removeCheckpoint(VM, out.CP2);
        await host.getVmWithCheckpoints({ id: VM });
        assert.equal(transport.invocations[0]!.options.timeoutMs, 3_600_000);
        assert.equal(transport.invocations[1]!.options.timeoutMs, undefined);
        assert.equal(transport.invocations[1]!.options.readOnly, true);
    });
});

describe("the PowerShell host sends the desired settings and the VM reference as data", () => {
    it("sends every desired setting, an absent one as null or its default, and the VM by name", async () => {
        const transport = scripted();
        await hostOn(transport).applyCheckpointSettings({ name: "web-01 [it's *]" }, { checkpointFileLocation: "D:\\$(x)\\", enableBackupIntegration: true });
        const [call] = transport.invocations;
        assert.equal(call!.operation, "apply checkpoint settings");
        assert.deepEqual(call!.input, {
            vm: { name: "web-01 [it's *]" },
            checkpointType: null,
            checkpointFileLocation: "D:\\$(x)\\",
            automaticCheckpointsEnabled: null,
            reenableCheckpoints: false,
            fileLocationWhileCheckpointed: "refuse",
            enableBackupIntegration: true,
            refuseImpossibleProductionOnly: false,
        });
        assert.ok(!call!.script.includes("$(x)") && !call!.script.includes("[it's *]"), "no user value in the script text");
        assert.equal(call!.options.readOnly, false);
    });

    it("sends only the id or the name of a VM reference", async () => {
        const transport = scripted();
        const host = hostOn(transport);
        await host.takeCheckpoint({ id: VM, name: "ignored" } as { id: string }, { name: "n" });
        await host.applyCheckpointSettings({ id: VM, extra: 1 } as { id: string }, {});
        assert.deepEqual(
            transport.invocations.map((i) => i.input.vm),
            [{ id: VM }, { id: VM }],
        );
    });

    it("returns the VM before and after, and the checkpoint count", async () => {
        const applied = await hostOn(scripted()).applyCheckpointSettings({ id: VM }, { checkpointType: "ProductionOnly", enableBackupIntegration: true });
        assert.equal(applied.before.checkpointType, "Standard");
        assert.equal(applied.after.checkpointType, "ProductionOnly");
        assert.equal(applied.checkpointCount, 2);
    });

    it("reports a VM without a backup service as BackupServiceMissing, naming the VM as asked", async () => {
        const transport = scripted({ "apply checkpoint settings": () => JSON.parse(out.errorEnvelopes.backupServiceMissing) });
        await assert.rejects(hostOn(transport).applyCheckpointSettings({ name: "web-01" }, { enableBackupIntegration: true }), (e: unknown) => {
            assert.ok(isHostError(e, "BackupServiceMissing"));
            assert.match(e.message, /^apply checkpoint settings failed on host recorded-host, VM "web-01"/);
            return true;
        });
    });
});

describe("the PowerShell host returns what the take checkpoint script read", () => {
    it("the VM as it was before the checkpoint, and no namesakes for a new name", async () => {
        const taken = await hostOn(scripted()).takeCheckpoint({ name: "web-01" }, { name: "nightly" });
        assert.equal(taken.vm.id, VM);
        assert.equal(taken.vm.parentCheckpointId, out.CP2);
        assert.equal(taken.checkpoint.id, out.CP3);
        assert.deepEqual(taken.namesakes, []);
    });

    it("the checkpoints that already had the name, oldest first", async () => {
        const one = await hostOn(scripted({ "take checkpoint": () => JSON.parse(out.ps7TakenOneNamesake) })).takeCheckpoint({ id: VM }, { name: "nightly" });
        assert.deepEqual(
            one.namesakes.map((c) => c.id),
            [out.CP2],
        );
        const several = await hostOn(scripted({ "take checkpoint": () => out.ps51TakenSeveralNamesakes })).takeCheckpoint(
            { id: VM },
            { name: "patch Tuesday" },
        );
        assert.deepEqual(
            several.namesakes.map((c) => c.id),
            [out.CP1, out.CP2],
        );
    });
});

describe("the PowerShell host reports what kind of checkpoint was made", () => {
    function taken(vmState: string, state: string, typeUsed: string | null, backupService: unknown = { enabled: true, guestResponding: true }) {
        const doc = JSON.parse(out.ps7Taken);
        doc.ok.vmBefore.state = state;
        doc.ok.vmBefore.backupService = backupService;
        doc.ok.typeUsed = typeUsed;
        doc.ok.checkpoint.vmState = vmState;
        return scripted({ "take checkpoint": () => doc });
    }

    it("a production checkpoint of a running VM whose backup service answers", async () => {
        const result = await hostOn(taken("Off", "Running", "Production")).takeCheckpoint({ id: VM }, { name: "n" });
        assert.deepEqual([result.kind, result.fellBack, result.vmStateAtCreation], ["production", false, "Running"]);
    });

    it("falls back to a standard checkpoint when the VM is saved", async () => {
        const result = await hostOn(taken("Saved", "Saved", "Production")).takeCheckpoint({ id: VM }, { name: "n" });
        assert.deepEqual([result.kind, result.fellBack], ["standard", true]);
    });

    it("records a fallback when the checkpoint holds memory although production was planned", async () => {
        const result = await hostOn(taken("Running", "Running", "Production")).takeCheckpoint({ id: VM }, { name: "n" });
        assert.deepEqual([result.kind, result.fellBack], ["standard", true]);
    });

    it("a checkpoint of an Off VM is consistent (production) whatever the type", async () => {
        const result = await hostOn(taken("Off", "Off", "Production", null)).takeCheckpoint({ id: VM }, { name: "n" });
        assert.deepEqual([result.kind, result.fellBack], ["production", false]);
    });

    it("a standard policy makes standard checkpoints", async () => {
        const result = await hostOn(taken("Running", "Running", "Standard")).takeCheckpoint({ id: VM }, { name: "n" });
        assert.deepEqual([result.kind, result.fellBack], ["standard", false]);
    });

    it("a host without checkpoint types (2012 R2) makes standard checkpoints", async () => {
        const result = await hostOn(taken("Running", "Running", null)).takeCheckpoint({ id: VM }, { name: "n" });
        assert.deepEqual([result.kind, result.fellBack], ["standard", false]);
    });
});

describe("the PowerShell host's errors say where and what", () => {
    it("names the host, the VM and the checkpoint", async () => {
        const transport = scripted({ "rename checkpoint": () => JSON.parse(out.errorEnvelopes.checkpointNotFound) });
        await assert.rejects(hostOn(transport).renameCheckpoint(VM, out.CP2, "renamed"), (e: unknown) => {
            assert.ok(isHostError(e, "CheckpointNotFound"));
            assert.match(e.message, /^rename checkpoint failed on host recorded-host, VM \(1b4e28ba/);
            assert.match(e.message, new RegExp(out.CP2));
            assert.match(e.message, /pulumi refresh/);
            return true;
        });
    });

    it("names the VM by name when it was asked for by name", async () => {
        const transport = scripted({ "read VM": () => JSON.parse(out.errorEnvelopes.vmNotFoundByName) });
        await assert.rejects(hostOn(transport).getVm({ name: "web-02" }), (e: unknown) => isHostError(e, "VmNotFound") && /VM "web-02"/.test(e.message));
    });

    it("disposes its transport", async () => {
        const transport = scripted();
        await hostOn(transport).dispose();
        assert.equal(transport.disposed, 1);
    });
});
