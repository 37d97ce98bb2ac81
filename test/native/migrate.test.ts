import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { journalPath } from "../../provider/lab";
import { step, TestStack } from "../e2e/harness";
import { labCli } from "../e2e/lab-cli";
import { declaredProgram, freshLab, readLab } from "../e2e/lab-fixture";
import { settingsOf } from "../examples/quickstart-expectations";
import { yamlProgram, type Declared } from "./yaml-program";
import { requireYamlLanguageHost } from "./yaml-tool";

const declared: Declared = {
    policies: { web01: { vmName: "web01", type: "production" } },
    checkpoints: { beforeChange: { vmName: "web01", name: "Before change", dependsOnPolicy: "web01" } },
};

type StateResource = { urn: string; type: string; id?: string; outputs?: Record<string, unknown> };

describe("a stack moves from the dynamic provider to the native plugin by aliases", function () {
    this.timeout(600_000);
    let lab: string;
    let stack: TestStack;
    let initial: ReturnType<typeof settingsOf>;
    before(async () => {
        requireYamlLanguageHost();
        lab = await freshLab();
        initial = settingsOf(lab);
        stack = await TestStack.create({
            program: declaredProgram,
            config: {
                "hyperv:host": { value: `lab:${lab}` },
                "e2e:policies": { value: JSON.stringify(declared.policies) },
                "e2e:checkpoints": { value: JSON.stringify(declared.checkpoints) },
            },
        });
    });
    after(async () => {
        await stack?.dispose();
        if (lab) fs.rmSync(lab, { recursive: true, force: true });
    });

    const resources = async () => (JSON.parse(await stack.exportState()) as { deployment: { resources: StateResource[] } }).deployment.resources;

    it("the same declaration in YAML, each resource aliased to its dynamic URN, takes the stack over with nothing replaced or changed on the host, and the native plugin runs it from then on", async () => {
        const dynamic = await step("the TypeScript program on the dynamic provider brings the stack up", async () => {
            await stack.up();
            return (await resources()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/hyperv:"));
        });
        assert.equal(dynamic.length, 2);
        const urnOf = (name: string) => dynamic.find((r) => r.urn.endsWith(`::${name}`))!.urn;

        const journal = fs.readFileSync(journalPath(lab), "utf8");
        await step("preview and up of the YAML program with aliases: every resource unchanged, the host untouched", async () => {
            fs.writeFileSync(
                path.join(stack.workDir, "Pulumi.yaml"),
                yamlProgram("declared", declared, { web01: urnOf("web01"), beforeChange: urnOf("beforeChange") }),
            );
            const preview = await stack.preview();
            assert.deepEqual(preview.changes, []);
            const up = await stack.up();
            assert.deepEqual(up.changes, []);
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), journal);
        });

        await step("the state now holds the native types, with the same ids, and no dynamic provider", async () => {
            const now = await resources();
            assert.deepEqual(
                now.filter((r) => r.type.startsWith("hyperv:index:")).map((r) => [r.type, r.id]),
                [
                    ["hyperv:index:VmCheckpointPolicy", dynamic[0]!.id],
                    ["hyperv:index:Checkpoint", dynamic[1]!.id],
                ],
            );
            assert.equal(
                now.some((r) => r.type.startsWith("pulumi-nodejs:") || r.type === "pulumi:providers:pulumi-nodejs"),
                false,
            );
        });

        await step("the native plugin repairs drift on the migrated state and destroy puts the VM back", async () => {
            labCli(lab, "vm", "set", "web01", "--checkpoint-type", "Standard");
            await stack.refresh();
            await stack.up();
            assert.equal(settingsOf(lab).web01!.checkpointType, "Production");
            await stack.destroy();
            assert.deepEqual(settingsOf(lab), initial);
            assert.equal(
                readLab(lab).checkpoints.some((c) => c.name === "Before change"),
                false,
            );
        });
    });
});
