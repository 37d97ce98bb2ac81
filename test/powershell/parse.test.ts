import assert from "node:assert/strict";
import { z } from "zod";
import type { HostErrorCode } from "../../provider/host/errors";
import { isHostError } from "../../provider/host/errors";
import type { HyperVErrorRecord } from "../../provider/powershell/error-records";
import {
    appliedSettingsResultSchema,
    listOf,
    wireCheckpointSchema,
    parseResult,
    powerShellCapabilitiesSchema,
    vmResultSchema,
    vmWithCheckpointsResultSchema,
    takenCheckpointResultSchema,
} from "../../provider/powershell/parse";
import * as out from "./fixtures/outputs";

/** A list of checkpoints as the read-VM result carries it (Windows PowerShell 5.1 prints an empty list as null, one item as an object). */
const checkpointListSchema = z.object({ checkpoints: listOf(wireCheckpointSchema) });

const context = { host: "hv01 (ssh)", operation: "read VM" };

function failure(text: string): unknown {
    try {
        parseResult(text, vmWithCheckpointsResultSchema, context);
    } catch (e) {
        return e;
    }
    assert.fail("expected the output to be refused");
}

describe("reading what PowerShell 7 prints", () => {
    it("reads a VM with its checkpoints, ids lower-cased", () => {
        const { vm, checkpoints } = parseResult(out.ps7ReadVmWithCheckpoints, vmWithCheckpointsResultSchema, context);
        assert.equal(vm.id, out.VM_ID.toLowerCase());
        assert.equal(vm.state, "Running");
        assert.equal(vm.checkpointType, "Production");
        assert.deepEqual(vm.backupService, { enabled: true, guestResponding: true });
        assert.equal(checkpoints?.length, 2);
        assert.equal(checkpoints?.[1]?.parentId, out.CP1);
        assert.equal(checkpoints?.[1]?.creationTime, "2024-05-02T01:30:15.123Z");
    });

    it("reads the host's capabilities and PowerShell edition", () => {
        const caps = parseResult(out.ps7Capabilities, powerShellCapabilitiesSchema, context);
        assert.equal(caps.osBuild, 20348);
        assert.equal(caps.psEdition, "Core");
        assert.equal(caps.supportsAutomaticCheckpoints, true);
    });

    it("reads whether a VM is clustered, and leaves it out where the host does not say (no FailoverClusters module)", () => {
        const vm = (clustered: unknown) =>
            parseResult(JSON.stringify({ ok: { vm: { ...JSON.parse(out.ps7ReadVmWithCheckpoints).ok.vm, clustered } } }), vmResultSchema, context).vm;
        assert.equal(vm(true).clustered, true);
        assert.equal(vm(false).clustered, false);
        assert.equal("clustered" in vm(null), false);
    });

    it("reads the failover cluster a host is a node of, as 5.1 prints one node too, and none", () => {
        const caps = (failoverCluster: unknown) =>
            parseResult(JSON.stringify({ ok: { ...JSON.parse(out.ps7Capabilities).ok, failoverCluster } }), powerShellCapabilitiesSchema, context)
                .failoverCluster;
        assert.deepEqual(
            caps({
                name: "HV-CLUSTER",
                nodes: [
                    { name: "hv01", state: "Up" },
                    { name: "hv02", state: "Down" },
                ],
            })?.nodes.map((n) => n.name),
            ["hv01", "hv02"],
        );
        assert.deepEqual(caps({ name: "HV-CLUSTER", nodes: { name: "hv01", state: "Up" } })?.nodes, [{ name: "hv01", state: "Up" }]);
        assert.equal(caps(null), null);
        assert.equal(parseResult(out.ps7Capabilities, powerShellCapabilitiesSchema, context).failoverCluster, null);
    });

    it("reads an empty checkpoint list", () => {
        assert.deepEqual(parseResult(out.ps7EmptyList, checkpointListSchema, context).checkpoints, []);
    });

    it("reads a taken checkpoint with the VM as it was before", () => {
        const taken = parseResult(out.ps7Taken, takenCheckpointResultSchema, context);
        assert.equal(taken.typeUsed, "Production");
        assert.equal(taken.vmBefore.state, "Running");
        assert.equal(taken.checkpoint.vmState, "Off");
        assert.deepEqual(taken.namesakes, []);
    });

    it("reads the one checkpoint that already had the name", () => {
        const taken = parseResult(out.ps7TakenOneNamesake, takenCheckpointResultSchema, context);
        assert.deepEqual(
            taken.namesakes.map((c) => [c.id, c.name]),
            [[out.CP2, "nightly"]],
        );
        assert.equal(taken.checkpoint.id, out.CP3);
    });

    it("reads several namesakes, oldest first", () => {
        const taken = parseResult(out.ps7TakenSeveralNamesakes, takenCheckpointResultSchema, context);
        assert.deepEqual(
            taken.namesakes.map((c) => c.id),
            [out.CP1, out.CP2],
        );
        assert.deepEqual(
            taken.namesakes.map((c) => c.creationTime),
            ["2024-05-01T10:00:00.000Z", "2024-05-02T01:30:15.123Z"],
        );
        assert.equal(taken.typeUsed, "Standard");
    });

    it("reads applied settings: the VM before and after, and its checkpoint count", () => {
        const applied = parseResult(out.ps7AppliedSettings, appliedSettingsResultSchema, context);
        assert.equal(applied.before.checkpointType, "Standard");
        assert.equal(applied.after.checkpointType, "ProductionOnly");
        assert.deepEqual(applied.before.backupService, { enabled: false, guestResponding: false });
        assert.deepEqual(applied.after.backupService, { enabled: true, guestResponding: true });
        assert.equal(applied.checkpointCount, 2);
    });
});

describe("reading what Windows PowerShell 5.1 prints", () => {
    it("reads integer enums, \\/Date(ms)\\/ dates, an unwrapped single checkpoint and {value,Count} arrays", () => {
        const { vm, checkpoints } = parseResult(out.ps51ReadVmWithOneCheckpoint, vmWithCheckpointsResultSchema, context);
        assert.equal(vm.state, "Off");
        assert.equal(vm.checkpointType, "ProductionOnly");
        assert.deepEqual(vm.hardDrives, ["D:\\VMs\\db-01.vhdx", "D:\\VMs\\db-01-data.vhdx"]);
        assert.equal(checkpoints?.length, 1);
        assert.equal(checkpoints?.[0]?.snapshotType, "Standard");
        assert.equal(checkpoints?.[0]?.creationTime, "2024-05-01T10:00:00.000Z");
        assert.deepEqual(checkpoints?.[0]?.hardDrives, ["D:\\VMs\\db-01.vhdx"]);
    });

    it("reads storage with one disk unwrapped, an empty ParentPath as none and {value,Count} volumes", () => {
        const { storage } = parseResult(out.ps51ReadVmWithOneCheckpoint, vmWithCheckpointsResultSchema, context);
        assert.deepEqual(storage.disks, [{ path: "D:\\VMs\\db-01.vhdx", parentPath: null, fileSize: 1073741824 }]);
        assert.deepEqual(storage.volumes, [{ name: "D:\\", capacity: 107374182400, freeSpace: 1073741824 }]);
    });

    it("reads a 2012 R2 VM without checkpoint types, automatic checkpoints or backup service", () => {
        const { vm } = parseResult(out.ps51ReadVmOld, vmResultSchema, context);
        assert.equal(vm.checkpointType, null);
        assert.equal(vm.automaticCheckpointsEnabled, null);
        assert.equal(vm.backupService, null);
        assert.deepEqual(vm.hardDrives, []);
    });

    it("reads a build number printed as a string and the Desktop edition", () => {
        const caps = parseResult(out.ps51Capabilities, powerShellCapabilitiesSchema, context);
        assert.equal(caps.osBuild, 14393);
        assert.equal(caps.psEdition, "Desktop");
    });

    it("reads no namesakes printed as null, and the taken checkpoint's integer enums", () => {
        const taken = parseResult(out.ps51TakenNoNamesakes, takenCheckpointResultSchema, context);
        assert.deepEqual(taken.namesakes, []);
        assert.equal(taken.typeUsed, "Production");
        assert.equal(taken.vmBefore.state, "Running");
        assert.deepEqual(taken.vmBefore.hardDrives, ["D:\\VMs\\db-01.vhdx"]);
    });

    it("reads one namesake unwrapped to an object", () => {
        const taken = parseResult(out.ps51TakenOneNamesake, takenCheckpointResultSchema, context);
        assert.deepEqual(
            taken.namesakes.map((c) => [c.id, c.name, c.creationTime]),
            [[out.CP1, "patch Tuesday", "2024-05-01T10:00:00.000Z"]],
        );
        assert.deepEqual(taken.namesakes[0]?.hardDrives, ["D:\\VMs\\db-01.vhdx"]);
        assert.equal(taken.typeUsed, "Standard");
    });

    it("reads several namesakes printed as {value,Count}, oldest first", () => {
        const taken = parseResult(out.ps51TakenSeveralNamesakes, takenCheckpointResultSchema, context);
        assert.deepEqual(
            taken.namesakes.map((c) => c.id),
            [out.CP1, out.CP2],
        );
        assert.equal(taken.namesakes[1]?.parentId, out.CP1);
        assert.equal(taken.typeUsed, "Standard");
    });

    it("reads applied settings with integer enums, an empty parent and a {value,Count} disk list", () => {
        const applied = parseResult(out.ps51AppliedSettingsUnchanged, appliedSettingsResultSchema, context);
        assert.equal(applied.before.checkpointType, "Production");
        assert.equal(applied.after.state, "Off");
        assert.equal(applied.after.parentCheckpointId, null);
        assert.equal(applied.after.automaticCheckpointsEnabled, null);
        assert.deepEqual(applied.before.hardDrives, applied.after.hardDrives);
        assert.equal(applied.checkpointCount, 0);
    });

    it("reads an empty list printed as null", () => {
        assert.deepEqual(parseResult(out.ps51EmptyListAsNull, checkpointListSchema, context).checkpoints, []);
    });

    it("reads the ...Critical states as Other, in which checkpoint operations are refused", () => {
        const text = out.ps7ReadVmWithCheckpoints.replace('"state":"Running"', '"state":"RunningCritical"');
        assert.equal(parseResult(text, vmWithCheckpointsResultSchema, context).vm.state, "Other");
    });

    it("reads a state name or number it does not know as Other: module builds differ, and the VM stays readable", () => {
        for (const state of ['"Hibernating"', "77", '"ComponentServicing"']) {
            const text = out.ps7ReadVmWithCheckpoints.replace('"state":"Running"', `"state":${state}`);
            assert.equal(parseResult(text, vmWithCheckpointsResultSchema, context).vm.state, "Other", state);
        }
    });

    it("reports a checkpoint that was taken as taken, even when the VM's state before was one it does not know", () => {
        const text = out.ps7Taken.replace('"state":"Running"', '"state":"Hibernating"');
        const taken = parseResult(text, takenCheckpointResultSchema, context);
        assert.equal(taken.vmBefore.state, "Other");
        assert.equal(taken.checkpoint.name, JSON.parse(out.ps7Taken).ok.checkpoint.name);
    });
});

describe("error envelopes become the domain's errors, by id and never by message", () => {
    const expected: Record<keyof typeof out.errorEnvelopes, HostErrorCode> = {
        vmNotFoundByName: "VmNotFound",
        vmNotFoundOtherCmdlet: "VmNotFound",
        checkpointNotFound: "CheckpointNotFound",
        accessDenied: "AccessDenied",
        accessDeniedJapanese: "AccessDenied",
        checkpointsDisabled: "CheckpointsDisabled",
        productionUnavailable: "ProductionUnavailable",
        wrongState: "InvalidVmState",
        checkpointLimit: "CheckpointLimit",
        fileLocationLocked: "FileLocationLocked",
        setVmRefusedWhileBusy: "InvalidVmState",
        parameterMissing2012R2: "UnsupportedByHost",
        backupServiceMissing: "BackupServiceMissing",
        ambiguousName: "AmbiguousVmName",
        sshUnreachable: "HostUnreachable",
    };
    for (const [name, code] of Object.entries(expected) as [keyof typeof out.errorEnvelopes, HostErrorCode][]) {
        it(`${name} is ${code}`, () => {
            const e = failure(out.errorEnvelopes[name]);
            assert.ok(isHostError(e, code), `got ${String(e)}`);
            assert.match(e.message, /host hv01 \(ssh\)/);
            assert.equal((e.cause as HyperVErrorRecord).record.fullyQualifiedErrorId, JSON.parse(out.errorEnvelopes[name]).error.fullyQualifiedErrorId);
        });
    }

    it("keeps the translated message for the user", () => {
        const e = failure(out.errorEnvelopes.accessDeniedJapanese);
        assert.ok(isHostError(e));
        assert.match(e.message, /アクセス許可がありません/);
    });

    it("classifies an English-looking message under an unknown id as a plain host failure", () => {
        const text = JSON.stringify({
            error: {
                fullyQualifiedErrorId: "Something,Else",
                category: "NotSpecified",
                exceptionType: "System.Exception",
                message: "Checkpoints have been disabled.",
                target: null,
            },
        });
        assert.ok(isHostError(failure(text), "HostFailure"));
    });
});

describe("output that is not what a script prints is UnexpectedOutput, naming the host", () => {
    const cases: Record<string, string> = {
        "text that is not JSON": "WARNING: something\nnot json",
        "two JSON documents": '{"ok":{}}\n{"ok":{}}',
        "a document without ok or error": '{"value":[1],"Count":1}',
        "an incomplete error envelope": '{"error":{"category":"NotSpecified"}}',
        "a checkpoint with a malformed id": out.ps7ReadVmWithCheckpoints.replace(out.CP1, "not-a-guid"),
    };
    for (const [what, text] of Object.entries(cases)) {
        it(`refuses ${what}`, () => {
            const e = failure(text);
            assert.ok(isHostError(e, "UnexpectedOutput"), `got ${String(e)}`);
            assert.match(e.message, /hv01 \(ssh\)/);
        });
    }

    it("refuses applied settings without a checkpoint count", () => {
        const text = JSON.stringify({ ok: { ...JSON.parse(out.ps7AppliedSettings).ok, checkpointCount: null } });
        assert.throws(
            () => parseResult(text, appliedSettingsResultSchema, context),
            (e: unknown) => isHostError(e, "UnexpectedOutput") && /checkpointCount/.test(e.message),
        );
    });

    it("refuses a namesake with a malformed id", () => {
        const text = out.ps7TakenOneNamesake.replace(`"id":"${out.CP2}"`, '"id":"not-a-guid"');
        assert.throws(
            () => parseResult(text, takenCheckpointResultSchema, context),
            (e: unknown) => isHostError(e, "UnexpectedOutput") && /namesakes\.0\.id/.test(e.message),
        );
    });

    it("carries a trimmed copy of a long output", () => {
        const e = failure(`garbage ${"x".repeat(10_000)}`);
        assert.ok(isHostError(e, "UnexpectedOutput"));
        assert.match(e.message, /garbage x+… \(10008 characters in all\)/);
        assert.ok(e.message.length < 2500);
    });
});
