import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { addVm, journalPath, labPathOf, readLab, setHostSettings } from "../../provider/lab";
import { freshLab, labWithVm, rejectsWith, removeLabs } from "./helpers";
import { checkpointOf, checkpointsOf } from "../host/reads";

const WORKER = path.join(__dirname, "fixtures", "lab-worker.js");

interface Outcome {
    ok: boolean;
    id?: string;
    code?: string;
}

/** Runs the worker with Node 24 (this process's node); resolves with its exit code and outcomes. */
function runWorker(
    args: string[],
    env: NodeJS.ProcessEnv = {},
): { done: Promise<{ code: number | null; outcomes: Outcome[] }>; kill: () => void; stderrHas: (text: string) => Promise<void> } {
    const child = spawn(process.execPath, [WORKER, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const waiting: { text: string; resolve: () => void }[] = [];
    child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        for (const w of waiting) if (stderr.includes(w.text)) w.resolve();
    });
    const done = new Promise<{ code: number | null; outcomes: Outcome[] }>((resolve) => {
        child.on("close", (code) =>
            resolve({
                code,
                outcomes: stdout
                    .trim()
                    .split("\n")
                    .filter(Boolean)
                    .map((l) => JSON.parse(l) as Outcome),
            }),
        );
    });
    return {
        done,
        kill: () => child.kill("SIGKILL"),
        stderrHas: (text) => new Promise((resolve) => (stderr.includes(text) ? resolve() : waiting.push({ text, resolve }))),
    };
}

async function eventually<T>(action: () => Promise<T>, withinMs: number): Promise<T> {
    const deadline = Date.now() + withinMs;
    for (;;) {
        try {
            return await action();
        } catch (e) {
            if (Date.now() > deadline) throw e;
            await new Promise((r) => setTimeout(r, 250));
        }
    }
}

describe("lab host: several processes on one lab", () => {
    afterEach(removeLabs);

    it("loses no update when four processes each take fifteen checkpoints at once", async function () {
        this.timeout(60000);
        const { folder } = await freshLab({ behaviour: { concurrentVmMutations: "serialize" } });
        const vms = [await addVm(folder, { name: "a", state: "Running" }), await addVm(folder, { name: "b", state: "Off" })];
        const targets = [...vms, ...vms];
        const workers = targets.map((vm, i) => runWorker([folder, "take-many", vm.id, `w${i}`, "15"]));
        const results = await Promise.all(workers.map((w) => w.done));
        for (const r of results) {
            assert.equal(r.code, 0);
            assert.equal(r.outcomes.length, 15);
            assert.ok(
                r.outcomes.every((o) => o.ok),
                JSON.stringify(r.outcomes.filter((o) => !o.ok)),
            );
        }
        const doc = readLab(folder);
        assert.equal(doc.checkpoints.length, 60);
        const reported = new Set(results.flatMap((r) => r.outcomes.map((o) => o.id)));
        assert.deepEqual(new Set(doc.checkpoints.map((c) => c.id)), reported, "every reported checkpoint is in the document");
        for (const vm of vms) {
            const cps = doc.checkpoints.filter((c) => c.vmId === vm.id);
            assert.equal(cps.length, 30);
            for (const [i, cp] of cps.entries()) assert.equal(cp.parentId, i === 0 ? null : cps[i - 1]?.id, "a linear chain, oldest first");
            assert.equal(doc.vms.find((v) => v.id === vm.id)?.parentCheckpointId, cps[29]?.id);
            for (const cp of cps) assert.ok(fs.existsSync(labPathOf(folder, `${cp.path}\\${cp.id.toUpperCase()}.vmcx`)));
        }
    });

    it("refuses a second mutation of a VM while another process is in the middle of one", async function () {
        this.timeout(30000);
        const { folder, host, vmId } = await labWithVm();
        assert.equal(readLab(folder).host.behaviour.concurrentVmMutations, "refuse", "the documented default");
        const hung = runWorker([folder, "take", vmId, "slow"], { HYPERV_LAB_FAULT: "hang:takeCheckpoint:afterFiles" });
        try {
            await hung.stderrHas("hanging in takeCheckpoint");
            await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "second" }), "InvalidVmState");
        } finally {
            hung.kill();
        }
        await hung.done;
        assert.deepEqual(readLab(folder).checkpoints, [], "the hung operation never committed");
        // A dead holder stops refreshing its locks; they count as stale after 5 s (store.ts).
        const after = await eventually(() => host.takeCheckpoint({ id: vmId }, { name: "after the lock went stale" }), 15000);
        assert.equal(after.checkpoint.parentId, null);
    });

    it("leaves a valid document when a process dies before writing a removal", async () => {
        const { folder, host, vmId } = await labWithVm();
        const cp = await host.takeCheckpoint({ id: vmId }, { name: "keep me" });
        const before = fs.readFileSync(journalPath(folder), "utf8");
        const dying = runWorker([folder, "remove", vmId, cp.checkpoint.id], { HYPERV_LAB_FAULT: "exit:removeCheckpoint:beforeWrite" });
        assert.equal((await dying.done).code, 137);
        assert.equal(fs.readFileSync(journalPath(folder), "utf8"), before);
        assert.equal((await checkpointOf(host, vmId, cp.checkpoint.id)).name, "keep me");
        await host.removeCheckpoint(vmId, cp.checkpoint.id);
        assert.deepEqual(await checkpointsOf(host, vmId), []);
    });

    it("leaves a valid document when a process dies after writing a checkpoint's files", async () => {
        const { folder, host, vmId } = await labWithVm();
        await setHostSettings(folder, { fault: "exit:takeCheckpoint:afterFiles" });
        const dying = runWorker([folder, "take", vmId, "lost"]);
        assert.equal((await dying.done).code, 137);
        await setHostSettings(folder, { fault: null });
        assert.deepEqual(await checkpointsOf(host, vmId), []);
        assert.equal((await host.takeCheckpoint({ id: vmId }, { name: "next" })).checkpoint.parentId, null);
    });

    it("refuses overlapping mutations of one VM from one process too; the ones that ran form a chain", async () => {
        const { folder, host, vmId } = await labWithVm();
        const outcomes = await Promise.all(
            [0, 1, 2].map((i) =>
                host.takeCheckpoint({ id: vmId }, { name: `parallel ${i}` }).then(
                    () => "ok",
                    (e: { code?: string }) => e.code,
                ),
            ),
        );
        assert.ok(outcomes.includes("ok"));
        assert.ok(
            outcomes.every((o) => o === "ok" || o === "InvalidVmState"),
            outcomes.join(),
        );
        const cps = readLab(folder).checkpoints.filter((c) => c.vmId === vmId);
        assert.equal(cps.length, outcomes.filter((o) => o === "ok").length);
        for (const [i, cp] of cps.entries()) assert.equal(cp.parentId, i === 0 ? null : cps[i - 1]?.id);
    });
});
