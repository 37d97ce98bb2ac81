import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { addVm, journalPath, takeCheckpointOutOfBand } from "../../provider/lab";
import { repoRoot, TestStack, failureOf } from "./harness";
import { freshLab } from "./lab-fixture";

const declaredProgram = path.join(repoRoot, "test", "e2e", "programs", "declared");

/**
 * The provider's refusal in an engine's output: the host error's one line ("<operation> failed on
 * host ..."), without what differs between two runs (the checkpoint the engine happened to try last).
 */
function refusalIn(output: string): string {
    const line = /(?:take checkpoint|apply checkpoint settings) failed on host [^\n]*?\. [A-Z][^\n]*?\./.exec(output)?.[0];
    assert.ok(line, `no host refusal in:\n${output}`);
    return line.replace(/, checkpoint "[^"]*"/, ', checkpoint "…"');
}

describe("preview predicts what the host will refuse, and up refuses it with the same words", function () {
    this.timeout(300_000);
    let lab: string;
    const stacks: TestStack[] = [];
    const hostFile = () => fs.readFileSync(journalPath(lab), "utf8");

    before(async () => {
        lab = await freshLab({});
        await addVm(lab, { name: "dup", state: "Running" });
        await addVm(lab, { name: "dup", state: "Off" });
        await addVm(lab, { name: "legacy", state: "Running", version: "5.0", checkpointType: "Production" });
        await addVm(lab, { name: "locked", state: "Running", checkpointType: "Disabled" });
        await addVm(lab, { name: "locked2", state: "Running", checkpointType: "Disabled" });
        await addVm(lab, { name: "booting", state: "Starting", checkpointType: "Standard" });
        await addVm(lab, { name: "full", state: "Running", checkpointType: "Standard" });
        for (let i = 1; i <= 49; i++) await takeCheckpointOutOfBand(lab, { name: "full" }, { name: `old ${i}` });
    });
    after(async () => {
        for (const s of stacks) await s.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    async function stackDeclaring(policies: Record<string, unknown>, checkpoints: Record<string, unknown>): Promise<TestStack> {
        const stack = await TestStack.create({
            program: declaredProgram,
            config: {
                "hyperv:host": { value: `lab:${lab}` },
                "e2e:policies": { value: JSON.stringify(policies) },
                "e2e:checkpoints": { value: JSON.stringify(checkpoints) },
            },
        });
        stacks.push(stack);
        return stack;
    }

    /**
     * Preview fails, changing nothing; up then fails with the same refusal. Each shows it as a
     * refusal: on the resource, with no JavaScript stack (stack traces are for our own bugs). Returns it.
     */
    async function previewRefusesAsUpDoes(policies: Record<string, unknown>, checkpoints: Record<string, unknown>): Promise<string> {
        const stack = await stackDeclaring(policies, checkpoints);
        const before = hostFile();
        const previewOutput = await failureOf(() => stack.preview());
        const previewed = refusalIn(previewOutput);
        assert.equal(hostFile(), before, "preview changed nothing on the host");
        const upOutput = await failureOf(() => stack.up());
        const applied = refusalIn(upOutput);
        assert.equal(previewed, applied);
        for (const [run, output] of [
            ["preview", previewOutput],
            ["up", upOutput],
        ]) {
            assert.doesNotMatch(output!, / {4}at \S.*:\d+:\d+\)?$/m, `${run} printed a stack frame:\n${output}`);
            assert.doesNotMatch(output!, /\b[A-Z]\w*Error: /, `${run} printed an error class:\n${output}`);
        }
        // On the resource it is about: nothing under the stack (where the dynamic provider host prints a thrown error's stack).
        assert.doesNotMatch(previewOutput, /pulumi:pulumi:Stack \([^)]*\):/, `preview reported on the stack:\n${previewOutput}`);
        return previewed;
    }

    const cases: [string, Record<string, unknown>, Record<string, unknown>, RegExp][] = [
        ["a VM that does not exist", {}, { cp: { vmName: "ghost", name: "x" } }, /take checkpoint failed on host .*ghost/],
        ["an ambiguous VM name", { p: { vmName: "dup", type: "standard" } }, {}, /apply checkpoint settings failed on host .*dup.*use vmId/i],
        [
            "a productionOnly checkpoint on a 5.0 VM",
            {},
            { cp: { vmName: "legacy", name: "x", type: "productionOnly" } },
            /take checkpoint failed on .*VM "legacy".*a production-only checkpoint cannot be made now: configuration version 5\.0 is below 6\.2/,
        ],
        [
            "a production-only policy on a 5.0 VM",
            { p: { vmName: "legacy", type: "production", fallbackToStandard: false } },
            {},
            /apply checkpoint settings failed on .*VM "legacy".*production-only checkpoints can never succeed on this VM: configuration version 5\.0 is below 6\.2/,
        ],
        [
            "a checkpoint on a Disabled VM",
            {},
            { cp: { vmName: "locked", name: "x" } },
            /take checkpoint failed on .*VM "locked".*the VM's checkpoint policy is Disabled/,
        ],
        [
            "the 51st checkpoint of a VM with 49",
            {},
            { a: { vmName: "full", name: "new a" }, b: { vmName: "full", name: "new b" } },
            /take checkpoint failed on .*VM "full".*the VM already has 50 checkpoints, Hyper-V's limit is 50/,
        ],
    ];
    for (const [what, policies, checkpoints, expected] of cases) {
        it(`refuses ${what} in preview, as up does`, async () => {
            assert.match(await previewRefusesAsUpDoes(policies, checkpoints), expected);
        });
    }

    it("previews a checkpoint on a Disabled VM whose policy in the stack re-enables checkpoints first", async () => {
        const stack = await stackDeclaring({ p: { vmName: "locked2", disabled: false } }, { cp: { vmName: "locked2", name: "x", dependsOnPolicy: "p" } });
        const before = hostFile();
        const preview = await stack.preview();
        assert.deepEqual(preview.changes.map((s) => [s.name, s.op]).sort(), [
            ["cp", "create"],
            ["p", "create"],
        ]);
        assert.equal(hostFile(), before);
    });

    it("only warns in preview about a VM that is starting", async () => {
        const stack = await stackDeclaring({}, { cp: { vmName: "booting", name: "x" } });
        const before = hostFile();
        const preview = await stack.preview();
        assert.deepEqual(
            preview.changes.map((s) => s.name),
            ["cp"],
        );
        // On the resource it is about.
        assert.match(
            preview.stdout,
            /Checkpoint \(cp\):\n\s+warning: take checkpoint failed on .*VM "booting".*the VM is Starting.*`pulumi up` fails the same way unless this changes/,
        );
        assert.equal(hostFile(), before);
    });
});
