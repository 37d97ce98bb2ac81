import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { addVm, readLab, removeLabCheckpoint, renameLabCheckpoint, type LabEvent } from "../../provider/lab";
import { failureOf, opsByName, repoRoot, TestStack } from "./harness";
import { freshLab, vmByName } from "./lab-fixture";

const program = path.join(repoRoot, "test", "e2e", "programs", "groups");

interface MemberOut {
    vmName: string;
    checkpointId: string;
    checkpointName: string;
    present: boolean;
    kind: string;
    fellBack: boolean;
    holdsMemory: boolean;
    vmStateAtCreation: string;
}
interface GroupOut {
    id: string;
    members: MemberOut[];
    lastRestoreTime: string | null;
    lastRestoreResult: string | null;
}

const tiers = ["web01", "app01", "db01"];

/** The group's checkpoints on the lab, per VM name. */
function checkpointsByVm(lab: string): Record<string, string[]> {
    const doc = readLab(lab);
    return Object.fromEntries(doc.vms.map((vm) => [vm.name, doc.checkpoints.filter((c) => c.vmId === vm.id).map((c) => c.name)]));
}

/** What the lab saw since `from`, as "operation vm" lines. */
function journalSince(lab: string, from: number, operations: LabEvent["operation"][]): string[] {
    return readLab(lab)
        .host.events.slice(from)
        .filter((e) => operations.includes(e.operation))
        .map((e) => `${e.operation} ${e.vmName}`);
}

describe("CheckpointGroup through the Pulumi engine", function () {
    this.timeout(300_000);
    let lab: string;
    let stack: TestStack;
    const envVars = () => (stack.stack.workspace as unknown as { envVars: Record<string, string> }).envVars;
    const declare = (groups: Record<string, unknown>, policies: Record<string, unknown> = {}) =>
        stack.stack.setAllConfig({ "e2e:groups": { value: JSON.stringify(groups) }, "e2e:policies": { value: JSON.stringify(policies) } });
    const release = { vms: tiers.map((vmName) => ({ vmName })), name: "before release 42" };

    beforeEach(async () => {
        lab = await freshLab({});
        for (const name of tiers) await addVm(lab, { name, state: "Running", version: "9.0", checkpointType: "Standard" });
        stack = await TestStack.create({ program, config: { "hyperv:host": { value: `lab:${lab}` } } });
    });
    afterEach(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    it("all or nothing: one VM refuses, nothing is taken on any VM, and the error names every VM", async () => {
        await declare({ release }, { dbPolicy: { vmName: "db01", disabled: true } });
        await stack.stack.setConfig("e2e:groups", { value: JSON.stringify({ release: { ...release, dependsOnPolicies: ["dbPolicy"] } }) });
        await assert.rejects(stack.up(), (e: Error) => {
            assert.match(e.message, /take checkpoint group "before release 42" failed: nothing was taken on any VM/);
            assert.match(e.message, /VM "web01" \([0-9a-f-]+\) on host lab .*: checked: nothing taken/);
            assert.match(e.message, /VM "app01" \([0-9a-f-]+\) on host lab .*: checked: nothing taken/);
            assert.match(e.message, /VM "db01" \([0-9a-f-]+\) on host lab .*: refused: .*checkpoint policy is Disabled/);
            return true;
        });
        assert.deepEqual(checkpointsByVm(lab), { web01: [], app01: [], db01: [] });
        assert.ok(!(await stack.exportState()).includes("hyperv:CheckpointGroup::release"), "the engine records no group");
    });

    it("preview fails with up's error when one VM is certain to be refused, and changes nothing", async () => {
        await declare({ release: { ...release, vms: [...release.vms, { vmName: "nosuchvm" }] } });
        const before = readLab(lab);
        const output = await failureOf(() => stack.preview());
        assert.match(output, /take checkpoint group "before release 42" failed: nothing was taken on any VM[\s\S]*VM "nosuchvm" on host lab .*: refused: /);
        // A refusal, on the group's vms: no JavaScript stack, nothing under the stack resource.
        assert.match(output, /CheckpointGroup resource 'release': property vms value .* has a problem: take checkpoint group/);
        assert.doesNotMatch(output, / {4}at \S.*:\d+:\d+\)?$/m);
        assert.doesNotMatch(output, /pulumi:pulumi:Stack \([^)]*\):/);
        assert.deepEqual(readLab(lab), before);
    });

    it("takes one checkpoint per VM, then rolls them back in order and starts them in reverse order", async () => {
        await declare({ release });
        const created = await stack.up();
        assert.deepEqual(opsByName(created), { release: ["create"] });
        const group = (created.outputs.groupOutputs as Record<string, GroupOut>).release!;
        assert.deepEqual(
            group.members.map((m) => [m.vmName, m.checkpointName, m.kind, m.fellBack, m.holdsMemory, m.vmStateAtCreation]),
            tiers.map((vm) => [vm, "before release 42", "standard", false, true, "Running"]),
        );
        assert.deepEqual(checkpointsByVm(lab), { web01: ["before release 42"], app01: ["before release 42"], db01: ["before release 42"] });

        const from = readLab(lab).host.events.length;
        await declare({ release: { ...release, restoreTrigger: "rollback-1", startAfterRestore: true } });
        const rolled = await stack.up();
        assert.deepEqual(opsByName(rolled), { release: ["update"] });
        assert.deepEqual(journalSince(lab, from, ["applyCheckpoint", "startVm"]), [
            "applyCheckpoint web01",
            "applyCheckpoint app01",
            "applyCheckpoint db01",
            "startVm db01",
            "startVm app01",
            "startVm web01",
        ]);
        const after = (rolled.outputs.groupOutputs as Record<string, GroupOut>).release!;
        assert.equal(after.lastRestoreResult, "rolled back web01, app01, db01; started db01, app01, web01");
        assert.ok(after.lastRestoreTime);
        for (const vm of tiers) assert.equal(vmByName(lab, vm).state, "Running");
    });

    it("a rollback killed midway is finished by the next up, which rolls every VM back again in order", async () => {
        await declare({ release });
        await stack.up();
        await declare({ release: { ...release, restoreTrigger: "rollback-1" } });
        envVars().HYPERV_LAB_FAULT = "exit:applyCheckpoint:afterWrite";
        const from = readLab(lab).host.events.length;
        await assert.rejects(stack.up(), /CheckpointGroup \(release\):\s+error: error reading from server: (EOF|connection reset by peer)/);
        delete envVars().HYPERV_LAB_FAULT;
        assert.deepEqual(journalSince(lab, from, ["applyCheckpoint"]), ["applyCheckpoint web01"], "killed after the first VM");
        const again = readLab(lab).host.events.length;
        const res = await stack.up();
        assert.deepEqual(opsByName(res), { release: ["update"] });
        assert.deepEqual(journalSince(lab, again, ["applyCheckpoint"]), ["applyCheckpoint web01", "applyCheckpoint app01", "applyCheckpoint db01"]);
        assert.equal((res.outputs.groupOutputs as Record<string, GroupOut>).release!.lastRestoreResult, "rolled back web01, app01, db01");
    });

    it("simultaneous: pauses every running VM before the first checkpoint and resumes them after the last", async () => {
        await declare({ release: { ...release, simultaneous: true } });
        const from = readLab(lab).host.events.length;
        const res = await stack.up();
        assert.deepEqual(journalSince(lab, from, ["suspendVm", "takeCheckpoint", "resumeVm"]), [
            "suspendVm web01",
            "suspendVm app01",
            "suspendVm db01",
            "takeCheckpoint web01",
            "takeCheckpoint app01",
            "takeCheckpoint db01",
            "resumeVm web01",
            "resumeVm app01",
            "resumeVm db01",
        ]);
        const group = (res.outputs.groupOutputs as Record<string, GroupOut>).release!;
        assert.deepEqual(
            group.members.map((m) => [m.vmStateAtCreation, m.holdsMemory]),
            tiers.map(() => ["Paused", true]),
        );
        for (const vm of tiers) assert.equal(vmByName(lab, vm).state, "Running");
    });

    it("refresh shows a checkpoint renamed or removed out of band; up renames it back, or replaces the group", async () => {
        await declare({ release });
        const created = (await stack.up()).outputs.groupOutputs as Record<string, GroupOut>;
        const [web, app] = created.release!.members;
        await renameLabCheckpoint(lab, { name: "web01" }, { id: web!.checkpointId }, "renamed by hand");
        await stack.refresh();
        const renamed = await stack.up();
        assert.deepEqual(opsByName(renamed), { release: ["update"] });
        assert.equal(readLab(lab).checkpoints.find((c) => c.id === web!.checkpointId)!.name, "before release 42");

        await removeLabCheckpoint(lab, { name: "app01" }, { id: app!.checkpointId });
        const refreshed = await stack.refresh();
        assert.match(
            refreshed.stdout,
            /group "before release 42": the checkpoint of VM "app01" \([0-9a-f-]+\) was removed outside Pulumi; .*replaces the group/,
        );
        const repaired = await stack.up();
        assert.deepEqual(opsByName(repaired), { release: ["create-replacement", "replace", "delete-replaced"] });
        assert.deepEqual(checkpointsByVm(lab), { web01: ["before release 42"], app01: ["before release 42"], db01: ["before release 42"] });
        const ids = (repaired.outputs.groupOutputs as Record<string, GroupOut>).release!.members.map((m) => m.checkpointId);
        assert.ok(!ids.includes(web!.checkpointId), "every VM has a new checkpoint of one moment");
    });

    it("destroy removes every checkpoint of the group, merging its disks", async () => {
        await declare({ release });
        await stack.up();
        const destroyed = await stack.destroy();
        assert.deepEqual(opsByName(destroyed), { release: ["delete"] });
        assert.deepEqual(checkpointsByVm(lab), { web01: [], app01: [], db01: [] });
        for (const vm of readLab(lab).vms)
            assert.ok(
                vm.hardDrives.every((d) => d.toLowerCase().endsWith(".vhdx")),
                `${vm.name} runs on its base disk again`,
            );
    });

    it("a crash in the middle of create leaves a checkpoint the next up names in its warning", async () => {
        await declare({ release });
        envVars().HYPERV_LAB_FAULT = "exit:takeCheckpoint:afterWrite";
        await assert.rejects(stack.up(), /CheckpointGroup \(release\):\s+error: error reading from server: (EOF|connection reset by peer)/);
        delete envVars().HYPERV_LAB_FAULT;
        const leftover = readLab(lab).checkpoints;
        assert.equal(leftover.length, 1, "the first VM's checkpoint was taken before the crash");
        const res = await stack.up();
        assert.match(
            res.stdout,
            new RegExp(
                `CheckpointGroup \\(release\\):\\n\\s+warning: the group's VMs already had checkpoints named "before release 42".*VM "web01" \\(${vmByName(lab, "web01").id}\\): "before release 42" ${leftover[0]!.id}`,
            ),
        );
        assert.deepEqual(checkpointsByVm(lab), {
            web01: ["before release 42", "before release 42"],
            app01: ["before release 42"],
            db01: ["before release 42"],
        });
    });
});
