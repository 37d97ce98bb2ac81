import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { journalPath } from "../../provider/lab";
import { failureOf, opsByName, repoRoot, step, TestStack } from "../e2e/harness";
import { labCli } from "../e2e/lab-cli";
import { freshLab, readLab, vmByName } from "../e2e/lab-fixture";
import { settingsOf } from "../examples/quickstart-expectations";
import { requireYamlLanguageHost } from "./yaml-tool";

const program = path.join(repoRoot, "examples", "yaml-quickstart");

const checkpointsNamed = (lab: string, name: string) => readLab(lab).checkpoints.filter((c) => c.name === name);

describe("examples/yaml-quickstart: a Pulumi YAML program on the native plugin, through the engine", function () {
    // One stack's whole story: each step reads or changes what the one before made.
    this.timeout(600_000);
    let lab: string;
    let stack: TestStack;
    let initial: ReturnType<typeof settingsOf>;
    before(async () => {
        requireYamlLanguageHost();
        lab = await freshLab();
        initial = settingsOf(lab);
        stack = await TestStack.create({ program, config: { "hyperv:host": { value: `lab:${lab}` } } });
    });
    after(async () => {
        await stack?.dispose();
        if (lab) fs.rmSync(lab, { recursive: true, force: true });
    });

    it("previews, applies, changes nothing again, repairs a hand change after refresh, destroys, and refuses bad input in the dynamic provider's words", async () => {
        await step("preview plans every resource and changes nothing on the host", async () => {
            const journal = fs.readFileSync(journalPath(lab), "utf8");
            const res = await stack.preview();
            const creates = ["sql01", "dev01", "reports", "web01", "beforeIisUpgrade", "devRelease"];
            assert.deepEqual(opsByName(res), Object.fromEntries(creates.map((n) => [n, ["create"]])));
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), journal);
        });

        await step("up applies the policies, takes the checkpoint and the group, and reports them", async () => {
            const res = await stack.up();
            const now = settingsOf(lab);
            assert.deepEqual(now.sql01, { ...initial.sql01, checkpointType: "ProductionOnly", automatic: false });
            assert.equal(now.dev01!.checkpointType, "Standard");
            assert.equal(now.reports!.checkpointType, "Disabled");
            const [upgrade] = checkpointsNamed(lab, "Before IIS upgrade");
            assert.equal(upgrade?.vmId, vmByName(lab, "web01").id);
            assert.deepEqual(res.outputs.preChangeCheckpoint, { id: upgrade!.id, name: "Before IIS upgrade", kind: "production" });
            const group = checkpointsNamed(lab, "Before release 2.4");
            assert.deepEqual(group.map((c) => c.vmId).sort(), [vmByName(lab, "dev01").id, vmByName(lab, "linux-build").id].sort());
            assert.deepEqual((res.outputs.devReleaseMembers as { checkpointId: string }[]).map((m) => m.checkpointId).sort(), group.map((c) => c.id).sort());
            assert.equal(res.outputs.sql01CheckpointType, "ProductionOnly");
        });

        await step("a second up changes nothing", async () => {
            const before = readLab(lab);
            const res = await stack.up();
            assert.deepEqual(res.changes, []);
            assert.deepEqual(readLab(lab).vms, before.vms);
        });

        await step("refresh finds a hand change made with hyperv-lab, and up puts the declaration back", async () => {
            labCli(lab, "vm", "set", "sql01", "--checkpoint-type", "Standard");
            labCli(lab, "checkpoint", "rename", "web01", "Before IIS upgrade", "renamed by hand");
            await stack.refresh();
            const res = await stack.up();
            assert.deepEqual(opsByName(res).sql01, ["update"]);
            assert.deepEqual(opsByName(res).beforeIisUpgrade, ["update"]);
            assert.equal(settingsOf(lab).sql01!.checkpointType, "ProductionOnly");
            assert.equal(checkpointsNamed(lab, "Before IIS upgrade").length, 1);
        });

        await step("destroy puts every VM's settings back and removes the checkpoints", async () => {
            await stack.destroy();
            assert.deepEqual(settingsOf(lab), initial);
            assert.deepEqual(checkpointsNamed(lab, "Before IIS upgrade"), []);
            assert.deepEqual(checkpointsNamed(lab, "Before release 2.4"), []);
        });

        await step("bad input fails preview, naming the property, and changes nothing", async () => {
            const journal = fs.readFileSync(journalPath(lab), "utf8");
            const declare = (properties: string) =>
                fs.writeFileSync(
                    path.join(stack.workDir, "Pulumi.yaml"),
                    fs.readFileSync(path.join(program, "Pulumi.yaml"), "utf8").replace(/\nresources:[\s\S]*$/, `\nresources:\n  bad:\n${properties}`),
                );
            // The provider's own check: the very words the dynamic provider gives (test/e2e/bad-input.test.ts).
            declare(`    type: hyperv:index:Checkpoint\n    properties:\n      vmName: web01\n      name: ${"x".repeat(101)}\n`);
            assert.match(
                await failureOf(() => stack.preview()),
                /property name value .* has a problem: name is 101 characters; Hyper-V allows at most 100: shorten it/,
            );
            declare(`    type: hyperv:index:VmCheckpointPolicy\n    properties:\n      vmName: web01\n      type: standard\n      fallbackToStandard: false\n`);
            assert.match(
                await failureOf(() => stack.preview()),
                /property fallbackToStandard value \{false\} has a problem: fallbackToStandard applies to production checkpoints only: set type: "production", or remove fallbackToStandard/,
            );
            // minFreeSpace is bytes or a percentage (a union in the schema): a string reaches the provider's own check.
            declare("    type: hyperv:index:VmCheckpointPolicy\n    properties:\n      vmName: web01\n      minFreeSpace: ten percent\n");
            assert.match(
                await failureOf(() => stack.preview()),
                /minFreeSpace must be a number of bytes \(e\.g\. 21474836480\) or a percentage of the volume \(e\.g\. "10%"\)/,
            );
            // What the schema already rules out, Pulumi YAML refuses before the plugin sees it, naming the property and what it allows.
            declare("    type: hyperv:index:VmCheckpointPolicy\n    properties:\n      vmName: web01\n      type: sometimes\n");
            assert.match(
                await failureOf(() => stack.preview()),
                /type: Cannot assign type 'string' to type 'hyperv:index:VmCheckpointPolicyType'[\s\S]*Allowed values are "production", "standard"/,
            );
            declare("    type: hyperv:index:VmCheckpointPolicy\n    properties:\n      vmNme: web01\n");
            assert.match(await failureOf(() => stack.preview()), /Property vmNme does not exist on 'hyperv:index:VmCheckpointPolicy'/);
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), journal);
        });
    });
});
