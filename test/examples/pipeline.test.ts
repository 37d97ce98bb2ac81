import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { freshLab, readLab, vmByName } from "../e2e/lab-fixture";
import { installExample, runIn, scratch, stackEnv } from "./installed-example";

/** Runs examples/pipeline's CLI as a CI step would, on its own state folder. */
async function pipeline(workDir: string, args: string[], env: Record<string, string> = {}) {
    const state = fs.mkdtempSync(path.join(scratch, "pipeline-state-"));
    return runIn(workDir, process.execPath, [path.join(workDir, "node_modules/ts-node/dist/bin.js"), "pipeline.ts", ...args], { ...stackEnv(state), ...env });
}

function checkpointsNamed(lab: string, name: string) {
    return readLab(lab).checkpoints.filter((c) => c.name === name);
}

describe("examples/pipeline: a CI step around a change, through the Automation API", function () {
    this.timeout(600_000);
    let workDir: string;
    let lab: string;
    // The installed example is read-only and shared; each test gets a fresh lab, since the
    // pipeline rolls VMs back and leaves checkpoints that another test's assertions would meet.
    before(async () => {
        workDir = await installExample("pipeline");
    });
    beforeEach(async () => {
        lab = await freshLab();
    });
    afterEach(() => fs.rmSync(lab, { recursive: true, force: true }));

    it("exits 3 and runs no change when one VM cannot be checkpointed, leaving no checkpoint on any VM", async () => {
        const before = readLab(lab)
            .checkpoints.map((c) => c.id)
            .sort();
        const res = await pipeline(workDir, ["--vms", "web01,nosuchvm", "--change", "patch-0", "--host", `lab:${lab}`]);
        assert.equal(res.code, 3, res.stdout + res.stderr);
        assert.match(res.stdout, /could not checkpoint the change set \(no checkpoint was left on any VM\); the change was NOT run/);
        assert.match(res.stdout, /- VM "web01" .*checked: nothing taken/);
        assert.match(res.stdout, /- VM "nosuchvm" .*refused: /);
        assert.doesNotMatch(res.stdout, /\[2\/4\]/);
        assert.deepEqual(
            readLab(lab)
                .checkpoints.map((c) => c.id)
                .sort(),
            before,
        );
    });

    it("exits 2 with the usage when no VM is named", async () => {
        const res = await pipeline(workDir, ["--host", `lab:${lab}`]);
        assert.equal(res.code, 2, res.stdout + res.stderr);
        assert.match(res.stderr, /--vms names no VM/);
        assert.match(res.stderr, /usage: ts-node pipeline\.ts/);
    });

    it("exits 2 with one line naming the set-up problem, no stack trace, when the stack's state cannot be opened", async () => {
        const before = readLab(lab).checkpoints.length;
        const missing = path.join(scratch, "no-such-state-folder");
        const res = await pipeline(workDir, ["--vms", "web01", "--change", "patch-x", "--host", `lab:${lab}`], { PULUMI_BACKEND_URL: `file://${missing}` });
        assert.equal(res.code, 2, res.stdout + res.stderr);
        assert.match(res.stderr, /^pipeline: could not open stack "pipeline": unable to open state directory ".*no-such-state-folder"/);
        assert.equal(res.stderr.trim().split("\n").length, 1, res.stderr);
        assert.equal(readLab(lab).checkpoints.length, before, "no VM was touched");
    });

    it("on success, checkpoints every VM of the change set, then removes the checkpoints and exits 0", async () => {
        const before = readLab(lab);
        const res = await pipeline(workDir, ["--vms", "web01,sql01", "--change", "patch-1", "--host", `lab:${lab}`]);
        assert.equal(res.code, 0, res.stdout + res.stderr);
        assert.match(res.stdout, /\[1\/4\] checkpoint every VM/);
        assert.match(res.stdout, /web01: production checkpoint "before patch-1"/);
        assert.match(res.stdout, /sql01: production checkpoint "before patch-1"/);
        assert.match(res.stdout, /SUCCESS: change patch-1 applied and verified/);
        const after = readLab(lab);
        assert.deepEqual(checkpointsNamed(lab, "before patch-1"), [], "no checkpoint of the change is left");
        assert.deepEqual(after.checkpoints.map((c) => c.id).sort(), before.checkpoints.map((c) => c.id).sort());
        for (const name of ["web01", "sql01"]) {
            const was = before.vms.find((v) => v.name === name)!;
            const now = vmByName(lab, name);
            assert.equal(now.state, "Running");
            assert.equal(now.parentCheckpointId, was.parentCheckpointId, `${name} descends from the same checkpoint as before`);
        }
    });

    it("on failure, applies every checkpoint of the change set, reports, and exits 1", async () => {
        const iisUpdate = checkpointsNamed(lab, "Before IIS update")[0]!;
        const disksBefore = vmByName(lab, "web01").hardDrives;
        const res = await pipeline(workDir, ["--vms", "web01,sql01", "--change", "patch-2", "--fail", "--host", `lab:${lab}`]);
        assert.equal(res.code, 1, res.stdout + res.stderr);
        assert.match(res.stdout, /FAILED: the simulated change failed on web01 \(--fail\)/);
        assert.match(res.stdout, /\[4\/4\] roll back every VM of the change set, in order: web01, sql01/);
        assert.match(res.stdout, /rolled back web01, sql01\n/);
        const applied = readLab(lab)
            .host.events.filter((e) => e.operation === "applyCheckpoint")
            .slice(-2)
            .map((e) => e.vmName);
        assert.deepEqual(applied, ["web01", "sql01"], "one trigger rolled the change set back in the order given");
        assert.match(res.stdout, /ROLLED BACK: change patch-2 failed/);
        const taken = checkpointsNamed(lab, "before patch-2");
        assert.equal(taken.length, 2, "the checkpoints stay for the investigation");
        for (const name of ["web01", "sql01"]) {
            const vm = vmByName(lab, name);
            const cp = taken.find((c) => c.vmId === vm.id)!;
            assert.ok(cp, `${name} has its checkpoint`);
            assert.equal(vm.parentCheckpointId, cp.id, `${name} now descends from the checkpoint it was rolled back to`);
            assert.equal(vm.state, "Off", `${name} is Off: a production checkpoint holds no memory, the VM boots normally`);
            assert.match(res.stdout, new RegExp(`${name}: back to "before patch-2" \\(${cp.id}\\)`));
        }
        assert.equal(taken.find((c) => c.vmId === vmByName(lab, "web01").id)!.parentId, iisUpdate.id, "web01's checkpoint sits under its earlier one");
        assert.notDeepEqual(vmByName(lab, "web01").hardDrives, disksBefore, "web01 runs on a new differencing disk off the checkpoint");
    });
});
