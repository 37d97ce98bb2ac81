import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { readLab } from "../../provider/lab";
import { step } from "../e2e/harness";
import { labCli } from "../e2e/lab-cli";
import { assertLabValid, emptyLab, labCheckpointsOf, LabStack } from "./support/lab-stack";

/*
 * The provider process is killed (exit 137, as by the OOM killer or `kill -9`) at chosen points of
 * lab operations, through HYPERV_LAB_FAULT in the engine's environment. After each crash the lab
 * must be valid, and the documented recovery (README "Recovering from a crash") must bring the
 * stack and the host back in line with nothing lost or duplicated unnoticed.
 */
describe("crashes: the provider killed in the middle of an operation", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(2_400_000);
    let lab: string;
    let stack: LabStack;
    let declared: Record<string, Record<string, unknown>>;

    const declare = async (checkpoints: Record<string, Record<string, unknown>>) => {
        declared = checkpoints;
        await stack.declare(checkpoints);
    };

    /** One `pulumi up` with the provider killed at `fault`; the engine must report the failure. */
    async function upKilledAt(fault: string, resource: string) {
        stack.setEnv("HYPERV_LAB_FAULT", fault);
        try {
            const res = await stack.up();
            assert.equal(res.ok, false, `the up survived ${fault}:\n${res.output}`);
            assert.match(
                res.output,
                new RegExp(`Checkpoint \\(${resource}\\):\\s+error: error reading from server: (EOF|connection reset by peer)`),
                res.output,
            );
            assertLabValid(lab);
            return res;
        } finally {
            stack.setEnv("HYPERV_LAB_FAULT", undefined);
        }
    }

    /** The stack's checkpoints are exactly the lab's, with the declared names. */
    async function assertInLine(): Promise<void> {
        const inLab = labCheckpointsOf(lab, "web01");
        assert.deepEqual(await stack.checkpointIds(), inLab.map((c) => c.id).sort(), "the stack holds exactly the lab's checkpoints");
        assert.deepEqual(
            inLab.map((c) => c.name).sort(),
            Object.values(declared)
                .map((c) => c.name as string)
                .sort(),
        );
        assertLabValid(lab);
    }

    before(async () => {
        lab = await emptyLab(["web01"]);
        stack = await LabStack.create({ lab });
    });
    after(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    // One stack through every crash and its recovery: each step declares on top of what the ones
    // before it left (b is restored, c and d are deleted), so the steps are one test.
    it("crashes in create, rename, apply and delete, each recovered as README documents, then destroy leaves no checkpoint", async () => {
        await step("up of one checkpoint, a", async () => {
            await declare({ a: { vmName: "web01", name: "a" } });
            const res = await stack.up();
            assert.ok(res.ok, res.output);
        });

        await step("create, killed before the document write: nothing is taken, the next up takes it once", async () => {
            await declare({ ...declared, b: { vmName: "web01", name: "b" } });
            await upKilledAt("exit:takeCheckpoint:beforeWrite", "b");
            assert.deepEqual(
                labCheckpointsOf(lab, "web01").map((c) => c.name),
                ["a"],
            );
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            assert.doesNotMatch(res.output, /already had a checkpoint named/);
            await assertInLine();
        });

        await step("create, killed after the document write: the orphan is found by name and adopted by id, nothing taken twice", async () => {
            await declare({ ...declared, c: { vmName: "web01", name: "c" } });
            await upKilledAt("exit:takeCheckpoint:afterWrite", "c");
            assert.equal((await stack.checkpointIds()).length, 2, "the engine recorded nothing for c");
            // Recovery: list the VM's checkpoints, find the one named c, and adopt it by id.
            const shown = JSON.parse(labCli(lab, "--json", "show", "web01")) as unknown;
            const orphan = labCheckpointsOf(lab, "web01").find((c) => c.name === "c")!;
            assert.ok(JSON.stringify(shown).includes(orphan.id), "hyperv-lab show lists the orphan's id");
            await declare({ ...declared, c: { vmName: "web01", name: "c", adoptId: orphan.id } });
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            assert.equal(labCheckpointsOf(lab, "web01").length, 3, "no second checkpoint was taken");
            assert.ok((await stack.checkpointIds()).includes(orphan.id));
            await assertInLine();
        });

        await step("create, killed after the document write, then a plain up: the duplicate is announced with the orphan's id", async () => {
            await declare({ ...declared, d: { vmName: "web01", name: "d" } });
            await upKilledAt("exit:takeCheckpoint:afterWrite", "d");
            const orphan = labCheckpointsOf(lab, "web01").find((c) => c.name === "d")!;
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            assert.match(res.output, new RegExp(`already had a checkpoint named "d" \\(${orphan.id}`));
            assert.match(res.output, new RegExp(`adoptId: "${orphan.id}"`));
            // Recovery: remove the orphan the warning names.
            labCli(lab, "checkpoint", "remove", "web01", orphan.id);
            await assertInLine();
        });

        await step("rename, killed after the document write: refresh shows the new name, the next up converges", async () => {
            await declare({ ...declared, a: { vmName: "web01", name: "a renamed" } });
            await upKilledAt("exit:renameCheckpoint:afterWrite", "a");
            const refreshed = await stack.refresh();
            assert.ok(refreshed.ok, refreshed.output);
            const a = (await stack.resources()).find((r) => r.urn.endsWith("::a"))!;
            assert.equal(a.outputs!.checkpointName, "a renamed", "refresh read the name the host has");
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            await assertInLine();
        });

        await step("apply, killed before the document write: the VM is not rolled back, the next up applies it", async () => {
            const b = labCheckpointsOf(lab, "web01").find((c) => c.name === "b")!;
            await declare({ ...declared, b: { vmName: "web01", name: "b", restoreTrigger: "rollback-1" } });
            await upKilledAt("exit:applyCheckpoint:beforeWrite", "b");
            const web01 = () => readLab(lab).vms[0]!;
            assert.notEqual(web01().parentCheckpointId, b.id);
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            assert.equal(web01().parentCheckpointId, b.id, "the VM now runs from b");
            await assertInLine();
        });

        await step("delete, killed before the document write: the checkpoint stays in both, the next up removes it", async () => {
            const { c: _c, ...rest } = declared;
            await declare(rest);
            await upKilledAt("exit:removeCheckpoint:beforeWrite", "c");
            assert.ok(labCheckpointsOf(lab, "web01").some((cp) => cp.name === "c"));
            assert.equal((await stack.checkpointIds()).length, 4);
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            await assertInLine();
        });

        await step("delete, killed after the document write: refresh finds it gone, the next up forgets it without touching the host", async () => {
            const { d: _d, ...rest } = declared;
            await declare(rest);
            await upKilledAt("exit:removeCheckpoint:afterWrite", "d");
            assert.ok(!labCheckpointsOf(lab, "web01").some((cp) => cp.name === "d"), "the host removed it");
            assert.equal((await stack.checkpointIds()).length, 3, "the stack still lists it");
            const refreshed = await stack.refresh();
            assert.ok(refreshed.ok, refreshed.output);
            // Refresh keeps a checkpoint removed outside Pulumi, marked gone (a rollback to it must still be refused).
            assert.match(refreshed.output, /checkpoint "d" .* was removed outside Pulumi/);
            const before = JSON.stringify(labCheckpointsOf(lab, "web01"));
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            assert.match(res.output, /d\s+deleted|- .*Checkpoint d/);
            assert.doesNotMatch(res.output, /created|updated/);
            assert.equal(JSON.stringify(labCheckpointsOf(lab, "web01")), before, "nothing changed on the host");
            await assertInLine();
        });

        await step("destroy after all of it leaves no checkpoint", async () => {
            const res = await stack.destroy();
            assert.ok(res.ok, res.output);
            assert.deepEqual(assertLabValid(lab).checkpoints, []);
        });
    });
});
