import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { journalPath } from "../../provider/lab";
import { repoRoot, step, TestStack } from "../e2e/harness";
import { labCli } from "../e2e/lab-cli";
import { freshLab, readLab, vmByName } from "../e2e/lab-fixture";
import { requireYamlLanguageHost } from "./yaml-tool";

const program = path.join(repoRoot, "test", "native", "programs", "yaml-empty");

describe("pulumi import of the native types into a Pulumi YAML project, with the code the engine writes", function () {
    this.timeout(300_000);
    let lab: string;
    let stack: TestStack;
    before(async () => {
        requireYamlLanguageHost();
        lab = await freshLab();
        // A group's checkpoints taken by hand: one of that name on each VM.
        labCli(lab, "checkpoint", "take", "dev01", "Before release 2.4");
        labCli(lab, "checkpoint", "take", "linux-build", "Before release 2.4");
        stack = await TestStack.create({ program, config: { "hyperv:host": { value: `lab:${lab}` } } });
    });
    after(async () => {
        await stack?.dispose();
        if (lab) fs.rmSync(lab, { recursive: true, force: true });
    });

    it("imports a policy and a checkpoint listed by hyperv-import --native and a group by id; the generated YAML gives a no-change up", async () => {
        const file = path.join(stack.workDir, "hyperv-import.json");
        const resources = await step("hyperv-import --native lists web01's policy and checkpoint by import id", () => {
            execFileSync(
                process.execPath,
                [path.join(repoRoot, "dist/provider/import/cli.js"), "--host", `lab:${lab}`, "--vm", "web01", "--native", "--file", file],
                {
                    encoding: "utf8",
                },
            );
            const listed = (JSON.parse(fs.readFileSync(file, "utf8")) as { resources: { type: string; name: string; id: string }[] }).resources;
            const checkpoint = readLab(lab).checkpoints.find((c) => c.name === "Before IIS update")!;
            assert.deepEqual(listed, [
                { type: "hyperv:index:VmCheckpointPolicy", name: "web01", id: "web01" },
                { type: "hyperv:index:Checkpoint", name: "web01-before-iis-update", id: `web01/${checkpoint.id}` },
            ]);
            return [...listed, { type: "hyperv:index:CheckpointGroup", name: "release", id: "dev01,linux-build/Before release 2.4" }];
        });

        const journal = fs.readFileSync(journalPath(lab), "utf8");
        const code = await step("pulumi import reads each resource by its id alone and writes YAML declaring it", async () => {
            const res = await stack.stack.import({ resources, generateCode: true, protect: false });
            for (const type of ["VmCheckpointPolicy", "Checkpoint", "CheckpointGroup"]) assert.match(res.generatedCode, new RegExp(`type: hyperv:${type}\\n`));
            assert.match(res.generatedCode, /name: Before release 2\.4\n\s+vms:\n\s+- vmName: dev01\n\s+- vmName: linux-build/);
            const state = JSON.parse(await stack.exportState()) as { deployment: { resources: { type: string; id?: string }[] } };
            const ids = Object.fromEntries(state.deployment.resources.map((r) => [r.type, r.id]));
            assert.equal(ids["hyperv:index:VmCheckpointPolicy"], vmByName(lab, "web01").id);
            assert.equal(ids["hyperv:index:Checkpoint"], resources[1]!.id.split("/")[1]);
            return res.generatedCode;
        });

        await step("the generated code, pasted into the program, gives an up that changes nothing", async () => {
            fs.appendFileSync(path.join(stack.workDir, "Pulumi.yaml"), code);
            const res = await stack.up();
            assert.deepEqual(res.changes, []);
            assert.equal(res.steps.length, 3);
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), journal, "importing changed nothing on the host");
        });
    });
});
