import * as assert from "node:assert/strict";
import { readLab, removeLabCheckpoint, renameLabCheckpoint, setVm, setVolume } from "../../provider/lab";
import { HostError, type HyperVHost, type TakeCheckpointRequest, type VmRef } from "../../provider/host";
import { checkpointGroupProvider } from "../../provider";
import { isCheckpointGroupError, type CheckpointGroupError } from "../../provider/resources/group/errors";
import { diffGroup } from "../../provider/resources/group/diff";
import { createGroup, readGroup, updateGroup } from "../../provider/resources/group/lifecycle";
import { groupInputsSchema } from "../../provider/resources/group/schema";
import { engineWarnings } from "../../provider/engine-log";
import { checked, checkFailures, journalText, hostOf, labCheckpoints, labWith, removeLabs, removeVmOutOfBand, UNKNOWN, type Lab } from "./helpers";

const tiers = ["web01", "app01", "db01"];
const running = tiers.map((name) => ({ name, state: "Running" as const, version: "9.0", checkpointType: "Standard" as const }));
const release = (extra: Record<string, unknown> = {}) => groupInputsSchema.parse({ vms: tiers.map((vmName) => ({ vmName })), name: "release 42", ...extra });

/** The lab host, with `before` run just before the take of one VM: the VM changes between the check and the take. */
function changingBeforeTake(vmId: string, before: () => Promise<unknown>): () => HyperVHost {
    const host = hostOf();
    const wrapped = Object.create(host) as HyperVHost;
    wrapped.takeCheckpoint = async (ref: VmRef, request: TakeCheckpointRequest) => {
        if ("id" in ref && ref.id === vmId) await before();
        return host.takeCheckpoint(ref, request);
    };
    return () => wrapped;
}

/**
 * The lab host, whose take of one VM answers as a take that outlived hyperv:timeoutSeconds does
 * (HostTimeout), while the host still makes the checkpoint `lateMs` later (null: never).
 */
function timingOutTake(vmId: string, lateMs: number | null): () => HyperVHost {
    const host = hostOf();
    const wrapped = Object.create(host) as HyperVHost;
    wrapped.takeCheckpoint = async (ref: VmRef, request: TakeCheckpointRequest) => {
        if (!("id" in ref) || ref.id !== vmId) return host.takeCheckpoint(ref, request);
        if (lateMs !== null) setTimeout(() => void host.takeCheckpoint(ref, request), lateMs);
        throw new HostError("HostTimeout", "take checkpoint did not finish within 1 s; the shell was stopped", { host: host.displayName, vmId });
    };
    return () => wrapped;
}

/** Runs `work`, capturing what the provider writes to stderr (its warnings without an engine). */
async function withWarnings<T>(work: () => Promise<T>): Promise<{ result: T; warnings: string }> {
    const original = process.stderr.write.bind(process.stderr);
    let warnings = "";
    process.stderr.write = ((chunk: string | Uint8Array) => {
        warnings += String(chunk);
        return true;
    }) as typeof process.stderr.write;
    try {
        return { result: await work(), warnings };
    } finally {
        process.stderr.write = original;
    }
}

async function groupError(action: Promise<unknown>): Promise<CheckpointGroupError> {
    try {
        await action;
    } catch (e) {
        assert.ok(isCheckpointGroupError(e), `expected a CheckpointGroupError, got ${String(e)}`);
        return e;
    }
    assert.fail("the operation succeeded");
}

/** Warnings as a provider process without an engine shows them: on stderr, which withWarnings reads. */
const warnOnResource = engineWarnings(undefined);

describe("CheckpointGroup", () => {
    let lab: Lab;
    beforeEach(async () => {
        lab = await labWith(running);
    });
    afterEach(removeLabs);

    describe("check", () => {
        it("refuses an empty list, a VM without name or id, the same VM twice and an unknown type, naming the field", async () => {
            assert.deepEqual(await checkFailures(checkpointGroupProvider, { vms: [], name: "x" }), [
                { property: "vms", reason: "vms must name at least one VM: the group rolls them back in this order" },
            ]);
            const failures = await checkFailures(checkpointGroupProvider, { vms: [{ vmName: "web01" }, {}, { vmName: "db01", type: "fast" }], name: "x" });
            // A place inside vms is named in the reason: the engine shows a nested property's value as {<nil>}.
            assert.deepEqual(
                failures.map((f) => f.property),
                ["", ""],
            );
            assert.deepEqual(failures.map((f) => f.reason.split(":")[0]).sort(), ["vms[1].vmName", "vms[2].type"]);
            assert.deepEqual(await checkFailures(checkpointGroupProvider, { vms: [{ vmName: "web01" }, { vmName: "WEB01" }], name: "x" }), [
                { property: "", reason: "vms[1] names the same VM as vms[0]: a group takes one checkpoint per VM, remove one of them" },
            ]);
        });
    });

    describe("preview", () => {
        const preview = (props: Record<string, unknown>) => checkpointGroupProvider.check!({}, { ...props, __hvcpPreview: true });

        it("fails with up's error, naming every VM, when one VM is certain to be refused, and changes nothing", async () => {
            await setVm(lab.folder, { name: "db01" }, { checkpointType: "Disabled" });
            const before = journalText(lab);
            // A check failure on the group's vms, which the engine shows once, on the resource, with no stack trace.
            const { failures } = await preview({ vms: tiers.map((vmName) => ({ vmName })), name: "r" });
            assert.equal(failures?.length, 1);
            assert.equal(failures![0]!.property, "vms");
            assert.match(
                failures![0]!.reason,
                /^take checkpoint group "r" failed: nothing was taken on any VM\.\n {2}- VM "web01" .*: checked: nothing taken\n {2}- VM "app01" .*: checked: nothing taken\n {2}- VM "db01" .*: refused: .*Disabled/,
            );
            const missing = await preview({ vms: [{ vmName: "web01" }, { vmName: "nosuchvm" }], name: "r" });
            assert.match(missing.failures?.[0]?.reason ?? "", /VM "nosuchvm" on host .*: refused: /);
            assert.equal(journalText(lab), before);
        });

        it("only warns about a VM that is starting: up may find it running", async () => {
            await setVm(lab.folder, { name: "app01" }, { state: "Starting" });
            const { result, warnings } = await withWarnings(() => preview({ vms: tiers.map((vmName) => ({ vmName })), name: "r" }));
            assert.deepEqual(result.failures ?? [], []);
            assert.match(warnings, /VM "app01": .*the VM is Starting.*`pulumi up` refuses the whole group this way unless this changes before it runs/);
        });

        it("leaves a list holding a value not known yet to the check once it is known", async () => {
            const inputs = await checked(checkpointGroupProvider, { vms: [{ vmName: UNKNOWN, type: UNKNOWN }], name: "r", __hvcpPreview: true });
            assert.deepEqual(inputs.vms, [{ vmName: UNKNOWN, type: UNKNOWN }]);
        });
    });

    describe("create", () => {
        it("removes the checkpoints already taken when a later VM fails, and names every VM and what happened to it", async () => {
            const db = lab.vms.db01!.id;
            const hosts = changingBeforeTake(db, () => setVm(lab.folder, { id: db }, { checkpointType: "Disabled" }));
            const e = await groupError(createGroup(hosts, release(), warnOnResource));
            assert.deepEqual(
                e.outcomes.map((o) => [o.vm, o.outcome.replace(/\([0-9a-f-]{36}\)/, "(id)").split(":")[0]]),
                [
                    ["web01", "taken (id), then removed again"],
                    ["app01", "taken (id), then removed again"],
                    ["db01", "failed"],
                ],
            );
            assert.match(e.message, /take checkpoint group "release 42" failed: nothing is left on any VM/);
            assert.match(e.outcomes[2]!.outcome, /checkpoint policy is Disabled/);
            for (const vm of tiers) assert.deepEqual(labCheckpoints(lab, vm), [], `${vm} keeps nothing`);
        });

        it("waits for the checkpoint of a member whose take timed out and removes it when it appears: nothing is left", async () => {
            const db = lab.vms.db01!.id;
            const e = await groupError(createGroup(timingOutTake(db, 1500), release(), warnOnResource));
            assert.match(e.message, /take checkpoint group "release 42" failed: nothing is left on any VM/);
            assert.match(
                e.outcomes[2]!.outcome,
                /^failed: .*did not finish within 1 s.*; its checkpoint appeared afterwards \([0-9a-f-]{36}\) and was removed again$/,
            );
            for (const vm of tiers) assert.deepEqual(labCheckpoints(lab, vm), [], `${vm} keeps nothing`);
        });

        it("names the checkpoint of a timed-out member that has not appeared in time, with how to find and remove it", async () => {
            const db = lab.vms.db01!.id;
            const e = await groupError(createGroup(timingOutTake(db, null), release(), warnOnResource, { lateTakeWaitMs: 1500 }));
            assert.match(e.message, /failed: checkpoints may be left on some VMs: each is listed with how to remove it/);
            assert.doesNotMatch(e.message, /nothing is left/);
            const outcome = e.outcomes[2]!.outcome;
            assert.match(outcome, /its checkpoint may still appear: none was seen within 2 s/);
            assert.ok(outcome.includes(`Get-VMSnapshot -VMId ${db} | Where-Object { $_.Name -ceq 'release 42' -and $_.CreationTime -gt [datetime]'`), outcome);
            assert.ok(outcome.includes(`npx hyperv-lab checkpoint remove ${db} <id>`), outcome);
        });

        it("simultaneous with a production-only VM is refused before any VM is paused", async () => {
            const from = readLab(lab.folder).host.events.length;
            const inputs = release({ simultaneous: true, vms: [{ vmName: "web01" }, { vmName: "db01", type: "productionOnly" }] });
            const e = await groupError(createGroup(hostOf, inputs, warnOnResource));
            assert.match(e.outcomes[1]!.outcome, /refused: .*production-only checkpoint cannot be made now: the VM is Paused.*simultaneous pauses it/);
            assert.deepEqual(readLab(lab.folder).host.events.slice(from), []);
        });

        it("resumes the paused VMs when a take fails, and removes what was taken", async () => {
            const app = lab.vms.app01!.id;
            const hosts = changingBeforeTake(app, () => setVm(lab.folder, { id: app }, { checkpointType: "Disabled" }));
            await groupError(createGroup(hosts, release({ simultaneous: true }), warnOnResource));
            for (const vm of tiers) {
                assert.equal(readLab(lab.folder).vms.find((v) => v.name === vm)!.state, "Running");
                assert.deepEqual(labCheckpoints(lab, vm), []);
            }
        });
    });

    describe("rollback", () => {
        it("stops at the VM that cannot roll back, reporting which VMs are on the checkpoint; the next attempt finishes", async () => {
            const { outs } = await createGroup(hostOf, release(), warnOnResource);
            await setVm(lab.folder, { name: "app01" }, { state: "Stopping" });
            const e = await groupError(updateGroup(hostOf, outs, release({ restoreTrigger: "1" })));
            assert.deepEqual(
                e.outcomes.map((o) => o.outcome.split(":")[0]),
                ["on the checkpoint (rolled back)", "not rolled back", "not rolled back (not attempted)"],
            );
            assert.match(e.message, /the next `up` rolls every VM of the group back again, in order/);
            await setVm(lab.folder, { name: "app01" }, { state: "Running" });
            const after = await updateGroup(hostOf, outs, release({ restoreTrigger: "1" }));
            assert.equal(after.lastRestoreResult, "rolled back web01, app01, db01");
            for (const m of after.members) assert.equal(readLab(lab.folder).vms.find((v) => v.id === m.vmId)!.parentCheckpointId, m.checkpointId);
        });
    });
});

describe("CheckpointGroup's diff", () => {
    let lab: Lab;
    beforeEach(async () => {
        lab = await labWith(running);
    });
    afterEach(removeLabs);

    it("the same VMs in another order roll back in the new order, without retaking anything", async () => {
        const { outs } = await createGroup(hostOf, release(), warnOnResource);
        const reversed = release({ vms: [...tiers].reverse().map((vmName) => ({ vmName })) });
        assert.deepEqual(diffGroup(outs, reversed).replaces, []);
        assert.deepEqual(diffGroup(outs, reversed).fields, ["vms"]);
        const after = await updateGroup(hostOf, outs, { ...reversed, restoreTrigger: "1" });
        assert.equal(after.lastRestoreResult, "rolled back db01, app01, web01");
        assert.deepEqual(
            after.members.map((m) => m.checkpointId),
            [...outs.members].reverse().map((m) => m.checkpointId),
        );
        assert.equal(readLab(lab.folder).checkpoints.length, 3);
    });

    it("another VM, or another type for one, replaces the group", async () => {
        const { outs } = await createGroup(hostOf, release(), warnOnResource);
        assert.deepEqual(diffGroup(outs, release({ vms: [{ vmName: "web01" }, { vmName: "app01" }] })).replaces, ["vms"]);
        assert.deepEqual(diffGroup(outs, release({ vms: [{ vmName: "web01" }, { vmName: "app01" }, { vmName: "db01", type: "standard" }] })).replaces, ["vms"]);
    });
});

describe("CheckpointGroup's refresh", () => {
    let lab: Lab;
    beforeEach(async () => {
        lab = await labWith(running);
    });
    afterEach(removeLabs);

    it("shows a checkpoint renamed out of band on its VM, which the next update renames back", async () => {
        const { outs } = await createGroup(hostOf, release(), warnOnResource);
        await renameLabCheckpoint(lab.folder, { name: "app01" }, { id: outs.members[1]!.checkpointId }, "by hand");
        const refreshed = (await readGroup(hostOf, outs, warnOnResource))!;
        assert.deepEqual(
            refreshed.members.map((m) => m.checkpointName),
            ["release 42", "by hand", "release 42"],
        );
        assert.deepEqual(diffGroup(refreshed, release()).renames, [1]);
        const repaired = await updateGroup(hostOf, refreshed, release());
        assert.deepEqual(
            repaired.members.map((m) => m.checkpointName),
            ["release 42", "release 42", "release 42"],
        );
        assert.equal(labCheckpoints(lab, "app01")[0]!.name, "release 42");
    });

    it("marks the checkpoint of a VM deleted out of band as gone; the replacement says which VM is missing", async () => {
        const { outs } = await createGroup(hostOf, release(), warnOnResource);
        await removeVmOutOfBand(lab, lab.vms.db01!.id);
        const { result: refreshed, warnings } = await withWarnings(async () => (await readGroup(hostOf, outs, warnOnResource))!);
        assert.match(warnings, /VM "db01" \([0-9a-f-]+\) is gone from its host.*cannot take the group again with a VM that is gone: take it out of vms/);
        assert.deepEqual(
            refreshed.members.map((m) => m.present),
            [true, true, false],
        );
        assert.deepEqual(diffGroup(refreshed, release()).replaces, ["vms"]);
        const e = await groupError(createGroup(hostOf, release(), warnOnResource));
        assert.match(e.outcomes[2]!.outcome, /^refused: .*db01/);
        assert.equal(labCheckpoints(lab, "web01").length, 1, "nothing more was taken");
    });

    it("forgets the group once every checkpoint of it is gone", async () => {
        const { outs } = await createGroup(hostOf, release(), warnOnResource);
        for (const m of outs.members) await removeLabCheckpoint(lab.folder, { id: m.vmId }, { id: m.checkpointId });
        assert.equal(await readGroup(hostOf, outs, warnOnResource), undefined);
    });
});

describe("CheckpointGroup's take limits, VM by VM", () => {
    const GiB = 1024 ** 3;
    let lab: Lab;
    beforeEach(async () => {
        lab = await labWith(running);
    });
    afterEach(removeLabs);
    const preview = (props: Record<string, unknown>) => checkpointGroupProvider.check!({}, { ...props, __hvcpPreview: true });
    const noCheckpoints = () =>
        assert.deepEqual(
            tiers.map((vm) => labCheckpoints(lab, vm).length),
            [0, 0, 0],
            "nothing was taken on any VM",
        );

    it("preview refuses the group when one VM's policyLimits are certain to be broken, naming the VM, and changes nothing", async () => {
        await hostOf().takeCheckpoint({ name: "db01" }, { name: "before" });
        const before = journalText(lab);
        const vms = [{ vmName: "web01" }, { vmName: "app01" }, { vmName: "db01", policyLimits: { maxChainDepth: 1 } }];
        const { failures } = await preview({ vms, name: "r" });
        assert.equal(failures?.length, 1);
        assert.match(
            failures![0]!.reason,
            /VM "web01" .*: checked: nothing taken\n {2}- VM "app01" .*: checked: nothing taken\n {2}- VM "db01" .*: refused: .*chain of 2 differencing disks, and maxChainDepth is 1/,
        );
        assert.equal(journalText(lab), before);
    });

    it("counts what the earlier VMs write on a shared volume: preview and up refuse the VM that no longer fits, naming volume, free and needed, and take nothing", async () => {
        // Each running VM's standard checkpoint writes its 4 GiB of memory to C:\, which has room for two.
        await setVolume(lab.folder, "C:", 100 * GiB, 9 * GiB);
        const before = journalText(lab);
        const { failures } = await preview({ vms: tiers.map((vmName) => ({ vmName })), name: "r" });
        const refused = /VM "db01" .*: refused: .*volume C:\\ has 1065353216 bytes free; the checkpoint needs 4299161600, so 4299161600 are needed/;
        assert.match(failures?.[0]?.reason ?? "", refused);
        assert.match(failures![0]!.reason, /VM "app01" .*: checked: nothing taken/);
        assert.equal(journalText(lab), before);
        const e = await groupError(createGroup(hostOf, release(), warnOnResource));
        assert.match(e.message, /failed: nothing was taken on any VM/);
        assert.match(e.message, refused);
        noCheckpoints();
    });

    it("the group's own minFreeSpace wins over a VM's policyLimits, and refuses before anything is taken", async () => {
        const inputs = groupInputsSchema.parse({
            vms: tiers.map((vmName) => ({ vmName, policyLimits: { minFreeSpace: 0 } })),
            name: "r",
            minFreeSpace: "100%",
        });
        const e = await groupError(createGroup(hostOf, inputs, warnOnResource));
        assert.match(e.message, /VM "web01" .*: refused: .*minFreeSpace \(100%\) keeps 1099511627776 of its 1099511627776 bytes free/);
        noCheckpoints();
    });

    it("a VM whose volume fills between the check and its take is refused by the host, and the VMs taken before are put back", async () => {
        const db = lab.vms.db01!.id;
        const hosts = changingBeforeTake(db, () => setVolume(lab.folder, "C:", 100 * GiB, GiB));
        const e = await groupError(createGroup(hosts, release(), warnOnResource));
        assert.match(e.outcomes[2]!.outcome, /^failed: .*volume C:\\ has 1073741824 bytes free; the checkpoint needs 4299161600/);
        assert.match(e.message, /nothing is left on any VM/);
        noCheckpoints();
    });
});
