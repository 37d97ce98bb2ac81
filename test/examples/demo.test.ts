import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot, step } from "../e2e/harness";
import { readLab } from "../e2e/lab-fixture";
import { scratch } from "./installed-example";

const run = promisify(execFile);

/** scripts/demo.sh as `npm start` runs it (pulumi on PATH from with-pulumi.sh), on throw-away folders. */
async function demo(action: string, env: Record<string, string>): Promise<string> {
    const { stdout } = await run("bash", [path.join(repoRoot, "scripts", "demo.sh"), action], {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        maxBuffer: 64 << 20,
    });
    return stdout;
}

describe("npm start (scripts/demo.sh) on a fresh clone", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(900_000);
    const stack = `e2e-${process.pid}`;
    const env = {
        HYPERV_DEMO_LAB: path.join(scratch, "demo-lab"),
        HYPERV_DEMO_STATE: path.join(scratch, "demo-state"),
        HYPERV_DEMO_STACK: stack,
    };
    const settings = () => readLab(env.HYPERV_DEMO_LAB).vms.map((v) => [v.name, v.checkpointType, v.checkpointFileLocation, v.automaticCheckpointsEnabled]);
    after(() => fs.rmSync(path.join(repoRoot, "examples", "quickstart", `Pulumi.${stack}.yaml`), { force: true }));

    // One demo on one lab and stack: the second run and destroy need what the first made, and
    // the demo builds the engine's program each time, so the steps are one test.
    it("npm start creates the sample host and converges it, reports no changes the second time, and demo:destroy puts the settings back", async () => {
        await step("creates the sample host, converges it, and shows the VM table and checkpoint trees", async () => {
            const out = await demo("up", env);
            assert.match(out, /Creating a sample Hyper-V host/);
            assert.match(out, /\+ 7 created/);
            assert.match(out, /== The host after/);
            assert.match(out, /│ reports\s+│.*│ Disabled\s+│/);
            assert.match(out, /Before IIS upgrade \[SnapshotType Standard, disk only\]/);
            const doc = readLab(env.HYPERV_DEMO_LAB);
            assert.equal(doc.vms.find((v) => v.name === "linux-build")!.checkpointFileLocation, "E:\\Checkpoints\\linux-build");
            assert.ok(doc.checkpoints.some((c) => c.name === "Before IIS upgrade"));
        });

        await step("reports no changes the second time", async () => {
            const out = await demo("up", env);
            assert.doesNotMatch(out, /Creating a sample Hyper-V host/);
            assert.match(out, /Resources:\s+7 unchanged/);
            assert.doesNotMatch(out, /\b(created|updated|deleted|replaced)\b/);
        });

        await step("demo:destroy leaves the lab's VM settings as they were", async () => {
            const fresh = path.join(scratch, "demo-reference-lab");
            await run(process.execPath, [path.join(repoRoot, "dist/provider/lab/cli/main.js"), "--lab", fresh, "init", "--sample"]);
            const initial = readLab(fresh).vms.map((v) => [v.name, v.checkpointType, v.checkpointFileLocation, v.automaticCheckpointsEnabled]);
            const out = await demo("destroy", env);
            assert.match(out, /- 7 deleted/);
            assert.deepEqual(settings(), initial);
            assert.equal(
                readLab(env.HYPERV_DEMO_LAB).checkpoints.find((c) => c.name === "Before IIS upgrade"),
                undefined,
            );
        });
    });
});
