import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { journalPath, readLab } from "../../provider/lab";
import { step } from "../e2e/harness";
import { assertLabValid, emptyLab, labCheckpointsOf, LabStack } from "./support/lab-stack";

/** `count` checkpoints of one VM, named cp-01, cp-02, ... */
function checkpointsOf(vmName: string, count: number, prefix = "cp"): Record<string, { vmName: string; name: string }> {
    return Object.fromEntries(
        Array.from({ length: count }, (_, i) => {
            const name = `${prefix}-${String(i + 1).padStart(2, "0")}`;
            return [`${vmName}-${name}`, { vmName, name }];
        }),
    );
}

/** The checkpoints of a VM form one chain: one root, each the parent of the next, the VM on the last. */
function assertOneChain(lab: string, vmName: string): void {
    const cps = labCheckpointsOf(lab, vmName);
    const roots = cps.filter((c) => c.parentId === null);
    assert.equal(roots.length, 1, "one root");
    const children = new Map(cps.map((c) => [c.parentId, c]));
    assert.equal(children.size, cps.length, "no checkpoint has two children");
    let at = roots[0]!;
    for (let i = 1; i < cps.length; i++) at = children.get(at.id)!;
    const vm = readLab(lab).vms.find((v) => v.name === vmName)!;
    assert.equal(vm.parentCheckpointId, at.id, "the VM runs on the newest checkpoint");
}

describe("parallel load: 50 checkpoints of one VM in one stack", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(1_800_000);
    let lab: string;
    let stack: LabStack;
    const fifty = checkpointsOf("web01", 50);

    before(async () => {
        lab = await emptyLab(["web01"]);
        stack = await LabStack.create({ lab });
    });
    after(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    // One sequence on one stack: the 51st is refused on top of the 50 the first step took, and
    // destroy removes those 50; taking 50 again for each would cost minutes, so the steps are one test.
    it("creates 50 in parallel in one chain, refuses a 51st before touching the host, removes all 50 in parallel on destroy", async () => {
        await step("creates all 50 with the engine's default parallelism, in one chain, nothing failed", async () => {
            await stack.declare(fifty);
            const res = await stack.up();
            assert.ok(res.ok, res.output);
            assertLabValid(lab);
            const inLab = labCheckpointsOf(lab, "web01");
            assert.equal(inLab.length, 50);
            assert.deepEqual(
                inLab.map((c) => c.name).sort(),
                Object.values(fifty)
                    .map((c) => c.name)
                    .sort(),
            );
            assert.deepEqual(await stack.checkpointIds(), inLab.map((c) => c.id).sort(), "the state holds exactly the lab's checkpoints");
            assertOneChain(lab, "web01");
        });

        await step("refuses a 51st before touching the host, naming the limit", async () => {
            const before = fs.readFileSync(journalPath(lab), "utf8");
            await stack.declare({ ...fifty, ...{ "web01-cp-51": { vmName: "web01", name: "cp-51" } } });
            const res = await stack.up();
            assert.equal(res.ok, false);
            assert.match(res.output, /already has 50 checkpoints, Hyper-V's limit is 50/);
            assert.match(res.output, /web01/);
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), before, "the lab is unchanged");
            assert.equal((await stack.checkpointIds()).length, 50);
        });

        await step("removes all 50 in parallel on destroy: the lab is valid and holds no checkpoint", async () => {
            await stack.declare(fifty);
            const res = await stack.destroy();
            assert.ok(res.ok, res.output);
            const doc = assertLabValid(lab);
            assert.deepEqual(doc.checkpoints, []);
            assert.deepEqual(
                doc.vms[0]!.diskFiles.map((d) => d.path),
                [doc.vms[0]!.hardDrives[0]],
                "only the base disk is left",
            );
        });
    });
});

describe("parallel load: two stacks updating one lab at once", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(1_800_000);
    let lab: string;
    let first: LabStack;
    let second: LabStack;

    before(async () => {
        lab = await emptyLab(["app01", "db01", "shared01"]);
        first = await LabStack.create({ lab });
        second = await LabStack.create({ lab });
    });
    after(async () => {
        await Promise.all([first?.dispose(), second?.dispose()]);
        fs.rmSync(lab, { recursive: true, force: true });
    });

    /** Ups both stacks at once; a stack refused by the busy VM is run again until it converges. */
    async function upBothConverging(): Promise<string[]> {
        const outcomes = await Promise.all([first.up(), second.up()]);
        const refusals: string[] = [];
        for (const [i, stack] of [first, second].entries()) {
            let outcome = outcomes[i]!;
            for (let attempt = 0; !outcome.ok && attempt < 3; attempt++) {
                // The only acceptable failure: Hyper-V's refusal of a second mutation of a busy VM.
                assert.match(outcome.output, /InvalidVmState|in progress|busy/i, outcome.output);
                refusals.push(outcome.output);
                outcome = await stack.up();
            }
            assert.ok(outcome.ok, outcome.output);
        }
        return refusals;
    }

    async function assertNoLostUpdate(): Promise<void> {
        const doc = assertLabValid(lab);
        const a = await first.checkpointIds();
        const b = await second.checkpointIds();
        assert.equal(new Set([...a, ...b]).size, a.length + b.length, "no checkpoint is claimed by both stacks");
        assert.deepEqual(
            [...a, ...b].sort(),
            doc.checkpoints.map((c) => c.id).sort(),
            "every checkpoint in the lab is in exactly one stack, and every one in a stack is in the lab",
        );
    }

    // One sequence on two stacks: the same-VM step adds to what the different-VMs step left, and
    // destroy removes both, so the steps are one test.
    it("two stacks up at once on different VMs, then on the same VM, then destroy at once: nothing lost, duplicated or left", async () => {
        await step("different VMs: both stacks' checkpoints exist, none lost", async () => {
            await first.declare(checkpointsOf("app01", 8, "first"));
            await second.declare(checkpointsOf("db01", 8, "second"));
            await upBothConverging();
            await assertNoLostUpdate();
            assert.equal(labCheckpointsOf(lab, "app01").length, 8);
            assert.equal(labCheckpointsOf(lab, "db01").length, 8);
        });

        await step("the same VM: both stacks' checkpoints exist in one chain, none lost or duplicated", async () => {
            await first.declare({ ...checkpointsOf("app01", 8, "first"), ...checkpointsOf("shared01", 8, "first") });
            await second.declare({ ...checkpointsOf("db01", 8, "second"), ...checkpointsOf("shared01", 8, "second") });
            await upBothConverging();
            await assertNoLostUpdate();
            assert.equal(labCheckpointsOf(lab, "shared01").length, 16);
            assertOneChain(lab, "shared01");
        });

        await step("both stacks destroy at once: the lab is left valid and empty", async () => {
            const [a, b] = await Promise.all([first.destroy(), second.destroy()]);
            for (const [stack, res] of [
                [first, a],
                [second, b],
            ] as const) {
                if (!res.ok) assert.ok((await stack.destroy()).ok);
            }
            assert.deepEqual(assertLabValid(lab).checkpoints, []);
        });
    });
});
