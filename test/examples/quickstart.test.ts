import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { step } from "../e2e/harness";
import { freshLab, readLab } from "../e2e/lab-fixture";
import { ExampleStack, installExample } from "./installed-example";
import { assertQuickstartApplied, settingsOf } from "./quickstart-expectations";

describe("examples/quickstart, installed from the packed tarball", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(900_000);
    let lab: string;
    let stack: ExampleStack;
    let initial: ReturnType<typeof settingsOf>;
    before(async () => {
        const workDir = await installExample("quickstart");
        lab = await freshLab();
        initial = settingsOf(lab);
        stack = await ExampleStack.create(workDir, { "hyperv:host": { value: `lab:${lab}` } });
    });
    after(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    // One lifecycle on one installed example: every step after the first reads or changes what the
    // first up made, and installing the example again would cost minutes, so the steps are one test.
    it("up gives each VM its checkpoints and takes one before the IIS upgrade, stores short providers, changes nothing on a second run, destroy puts everything back", async () => {
        await step("gives each VM the checkpoints its job calls for, and takes a checkpoint before the IIS upgrade", async () => {
            const res = await stack.up();
            assertQuickstartApplied(lab, initial, res);
        });

        await step("stores each resource's provider as a short require of the installed package, not as code", async () => {
            const { deployment } = await stack.stack.exportStack();
            const resources = (deployment.resources as { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[]).filter((r) =>
                r.type.startsWith("pulumi-nodejs:dynamic/hyperv:"),
            );
            assert.equal(resources.length, 6);
            for (const r of resources) {
                for (const provider of [r.inputs?.__provider, r.outputs?.__provider]) {
                    assert.match(String(provider), /require\("hyperv-checkpoints\/dist\/sdk\/providers\/(policy|checkpoint)\.js"\)/);
                    assert.ok(String(provider).length < 600, `a serialised provider of ${String(provider).length} characters`);
                }
            }
        });

        await step("changes nothing on a second run", async () => {
            const before = readLab(lab);
            const res = await stack.up();
            assert.deepEqual(res.changes, []);
            assert.deepEqual(readLab(lab).vms, before.vms);
        });

        await step("puts every VM's settings back and removes the checkpoint on destroy", async () => {
            await stack.destroy();
            assert.deepEqual(settingsOf(lab), initial);
            assert.equal(
                readLab(lab).checkpoints.find((c) => c.name === "Before IIS upgrade"),
                undefined,
            );
        });
    });
});
