import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { freshLab, readLab } from "../e2e/lab-fixture";
import { step } from "../e2e/harness";
import { ExampleStack, installExample } from "./installed-example";

/** Every file of the lab's volumes, with its size: the host's disks and checkpoint files. */
function volumeFiles(lab: string): string[] {
    return fs
        .readdirSync(path.join(lab, "volumes"), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => `${path.relative(lab, path.join(e.parentPath, e.name))} ${fs.statSync(path.join(e.parentPath, e.name)).size}`)
        .sort();
}

describe("examples/adopt: taking over a host's settings and checkpoints without touching them", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(900_000);
    let lab: string;
    let stack: ExampleStack;
    let original: { doc: ReturnType<typeof readLab>; files: string[] };
    let ids: Record<string, string>;
    before(async () => {
        const workDir = await installExample("adopt");
        lab = await freshLab();
        const doc = readLab(lab);
        const idOf = (name: string) => doc.checkpoints.find((c) => c.name === name)!.id;
        ids = { webBeforeIisUpdate: idOf("Before IIS update"), devCleanInstall: idOf("Clean install"), devExperiment: idOf("Experiment") };
        original = { doc, files: volumeFiles(lab) };
        stack = await ExampleStack.create(workDir, {
            "hyperv:host": { value: `lab:${lab}` },
            "adopt:checkpoints": {
                value: JSON.stringify({
                    webBeforeIisUpdate: { vmName: "web01", id: ids.webBeforeIisUpdate },
                    devCleanInstall: { vmName: "dev01", id: ids.devCleanInstall },
                    devExperiment: { vmName: "dev01", id: ids.devExperiment },
                }),
            },
        });
    });
    after(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    // One adoption on one installed example: the second run and destroy need what the first up
    // adopted, and installing the example again would cost minutes, so the steps are one test.
    it("adopts the policies and the checkpoints by id, changes nothing on a second run, and hands everything back on destroy", async () => {
        await step("adopts the policies and the checkpoints by id, and the host stays exactly as it was", async () => {
            const res = await stack.up();
            assert.deepEqual(
                res.changes.map((s) => s.op),
                ["create", "create", "create", "create", "create"],
            );
            assert.deepEqual(readLab(lab).vms, original.doc.vms);
            assert.deepEqual(readLab(lab).checkpoints, original.doc.checkpoints);
            assert.deepEqual(volumeFiles(lab), original.files);
            const adopted = res.outputs.checkpoints as { id: string; name: string; adopted: boolean; kind: string }[];
            assert.deepEqual(
                adopted.map((c) => [c.id, c.name, c.adopted]).sort(),
                [
                    [ids.webBeforeIisUpdate, "Before IIS update", true],
                    [ids.devCleanInstall, "Clean install", true],
                    [ids.devExperiment, "Experiment", true],
                ].sort(),
            );
            assert.deepEqual(res.outputs.settings, { web01: "Production", dev01: "Standard" });
        });

        await step("changes nothing on a second run", async () => {
            const res = await stack.up();
            assert.deepEqual(res.changes, []);
            assert.deepEqual(readLab(lab).checkpoints, original.doc.checkpoints);
        });

        await step("hands everything back on destroy: settings as they were, checkpoints kept", async () => {
            await stack.destroy();
            assert.deepEqual(readLab(lab).vms, original.doc.vms);
            assert.deepEqual(readLab(lab).checkpoints, original.doc.checkpoints);
            assert.deepEqual(volumeFiles(lab), original.files);
        });
    });
});
