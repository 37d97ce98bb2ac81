import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { addVm, journalPath, takeCheckpointOutOfBand } from "../../provider/lab";
import { repoRoot, TestStack, failureOf } from "./harness";
import { freshLab } from "./lab-fixture";

const declaredProgram = path.join(repoRoot, "test", "e2e", "programs", "declared");

/**
 * The provider's refusal in an engine's output: the host error's one line ("<operation> failed on
 * host ...", or in preview, which attempted nothing, "<operation> would fail on host ..."), without
 * what differs between two runs (the checkpoint the engine happened to try last).
 */
function refusalIn(output: string, framing: "would fail" | "failed"): string {
    const line = new RegExp(`(?:take checkpoint|apply checkpoint settings) ${framing} on host [^\\n]*?\\. [A-Z][^\\n]*?\\.(?=\\n|$| \\(|: \\w+Error)`).exec(
        output,
    )?.[0];
    assert.ok(line, `no host refusal (${framing}) in:\n${output}`);
    return line.replace(/, checkpoint "[^"]*"/, ', checkpoint "…"').replace(framing, "<failed>");
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
        await addVm(lab, { name: "open", state: "Running", checkpointType: "Standard" });
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
        const previewed = refusalIn(previewOutput, "would fail");
        assert.equal(hostFile(), before, "preview changed nothing on the host");
        const upOutput = await failureOf(() => stack.up());
        const applied = refusalIn(upOutput, "failed");
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
        // On a lab there is no Get-VM to run: the advice names the lab's CLI.
        [
            "a VM that does not exist",
            {},
            { cp: { vmName: "ghost", name: "x" } },
            /take checkpoint <failed> on host .*ghost.*`npx hyperv-lab --lab .* show` lists the lab's VMs\.$/,
        ],
        ["an ambiguous VM name", { p: { vmName: "dup", type: "standard" } }, {}, /apply checkpoint settings <failed> on host .*dup.*use vmId/i],
        [
            "a productionOnly checkpoint on a 5.0 VM",
            {},
            { cp: { vmName: "legacy", name: "x", type: "productionOnly" } },
            /take checkpoint <failed> on .*VM "legacy".*a production-only checkpoint cannot be made now: configuration version 5\.0 is below 6\.2/,
        ],
        [
            "a production-only policy on a 5.0 VM",
            { p: { vmName: "legacy", type: "production", fallbackToStandard: false } },
            {},
            /apply checkpoint settings <failed> on .*VM "legacy".*production-only checkpoints can never succeed on this VM: configuration version 5\.0 is below 6\.2/,
        ],
        [
            "a checkpoint on a Disabled VM",
            {},
            { cp: { vmName: "locked", name: "x" } },
            /take checkpoint <failed> on .*VM "locked".*the VM's checkpoint policy is Disabled/,
        ],
    ];
    for (const [what, policies, checkpoints, expected] of cases) {
        it(`refuses ${what} in preview, as up does`, async () => {
            assert.match(await previewRefusesAsUpDoes(policies, checkpoints), expected);
        });
    }

    it("says what the stack would do when its own checkpoints pass 50 on a VM (not that the VM already has 50)", async () => {
        const stack = await stackDeclaring({}, { a: { vmName: "full", name: "new a" }, b: { vmName: "full", name: "new b" } });
        const before = hostFile();
        const previewed = refusalIn(await failureOf(() => stack.preview()), "would fail");
        assert.equal(hostFile(), before, "preview changed nothing on the host");
        assert.match(
            previewed,
            /take checkpoint <failed> on .*VM "full".*: this stack would take 2 checkpoints of the VM, which has 49: 51 would pass Hyper-V's limit of 50 per VM\. Declare at most 1 checkpoint of this VM in the stack/,
        );
        assert.doesNotMatch(previewed, /already has/);
    });

    it("refuses in preview, before anything changes, a checkpoint that dependsOn the stack's policy disabling its VM, with advice that fits", async () => {
        const stack = await stackDeclaring({ p: { vmName: "open", disabled: true } }, { cp: { vmName: "open", name: "x", dependsOnPolicy: "p" } });
        const before = hostFile();
        const output = await failureOf(() => stack.preview());
        const previewed = refusalIn(output, "would fail");
        assert.equal(hostFile(), before, "preview changed nothing on the host");
        assert.match(
            previewed,
            /take checkpoint <failed> on .*VM "open".*the VM's checkpoint policy is Disabled\. This Checkpoint already dependsOn VmCheckpointPolicy "p", which `pulumi up` applies first, and checkpoints stay disabled after it: set disabled: false in this VM's VmCheckpointPolicy to take it, or remove this Checkpoint\./,
        );
        assert.doesNotMatch(output, /give this checkpoint dependsOn/, "no advice to add the dependsOn already there");
        // `up --skip-preview` applies the policy first and is refused with the same words.
        assert.equal(refusalIn(await failureOf(() => stack.up()), "failed"), previewed);
    });

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
            /Checkpoint \(cp\):\n\s+warning: take checkpoint would fail on .*VM "booting".*the VM is Starting.*`pulumi up` fails the same way unless this changes/,
        );
        assert.equal(hostFile(), before);
    });
});
