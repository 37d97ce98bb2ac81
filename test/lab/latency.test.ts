import * as assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { addVm, type LabHost, readLab, realisticLatency, setHostSettings } from "../../provider/lab";
import { runCmdlet } from "../powershell/stand-in/cmdlets";
import { freshLab, rejectsWith, removeLabs } from "./helpers";
import { checkpointsOf } from "../host/reads";

/*
 * Timing assertions: the waits are lower bounds (a timer never fires early by more than a
 * millisecond), and upper bounds leave the operation's own cost generous room, so that a loaded
 * two-core machine passes while a lab that adds the waits up, or does not wait, fails.
 */

/** Realistic durations at this scale: a production checkpoint of a running VM takes 600 ms. */
const SCALE = 0.04;
const PRODUCTION_MS = realisticLatency.productionCheckpointMs * SCALE;

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const start = performance.now();
    const value = await action();
    return { ms: performance.now() - start, value };
}

async function slowLab(options: { serialize?: boolean; scale?: number } = {}): Promise<{ folder: string; host: LabHost; vmIds: string[] }> {
    const { folder, host } = await freshLab({
        latency: { profile: "realistic", timeScale: options.scale ?? SCALE },
        ...(options.serialize ? { behaviour: { concurrentVmMutations: "serialize" } } : {}),
    });
    const vmIds: string[] = [];
    for (const name of ["web01", "web02"]) vmIds.push((await addVm(folder, { name, state: "Running", checkpointType: "Production" })).id);
    return { folder, host, vmIds };
}

describe("lab host: how long operations take", () => {
    afterEach(removeLabs);

    it("answers at once under the default profile, none", async () => {
        const { host, folder } = await freshLab();
        assert.equal(readLab(folder).host.latency.profile, "none");
        const vm = await addVm(folder, { name: "web01", state: "Running" });
        const { ms } = await timed(async () => {
            const taken = await host.takeCheckpoint({ id: vm.id }, { name: "instant" });
            await host.removeCheckpoint(vm.id, taken.checkpoint.id);
        });
        assert.ok(ms < realisticLatency.productionCheckpointMs * 0.02, `took ${ms.toFixed(0)} ms`);
    });

    it("runs operations on two VMs side by side: together they take as long as one", async function () {
        this.timeout(20000);
        const { host, vmIds } = await slowLab();
        const one = await timed(() => host.takeCheckpoint({ id: vmIds[0]! }, { name: "alone" }));
        assert.ok(one.ms >= PRODUCTION_MS * 0.95, `one production checkpoint took ${one.ms.toFixed(0)} ms`);
        const both = await timed(() => Promise.all(vmIds.map((id) => host.takeCheckpoint({ id }, { name: "side by side" }))));
        assert.ok(both.ms >= PRODUCTION_MS * 0.95, `took ${both.ms.toFixed(0)} ms`);
        assert.ok(both.ms < PRODUCTION_MS * 1.6, `two VMs took ${both.ms.toFixed(0)} ms: the sum would be ${2 * PRODUCTION_MS} ms`);
    });

    it("refuses a second operation on a busy VM at once, and the first one still completes", async function () {
        this.timeout(20000);
        const { host, vmIds } = await slowLab();
        const id = vmIds[0]!;
        const first = timed(() => host.takeCheckpoint({ id }, { name: "first" }));
        await new Promise((r) => setTimeout(r, PRODUCTION_MS / 4));
        const refused = await timed(() => rejectsWith(() => host.takeCheckpoint({ id }, { name: "second" }), "InvalidVmState"));
        assert.ok(refused.ms < PRODUCTION_MS / 2, `the refusal took ${refused.ms.toFixed(0)} ms`);
        assert.deepEqual(await checkpointsOf(host, id), [], "the first checkpoint is not visible before its time is up");
        assert.ok((await first).ms >= PRODUCTION_MS * 0.95);
        assert.deepEqual(
            (await checkpointsOf(host, id)).map((c) => c.name),
            ["first"],
        );
    });

    it("queues a second operation on a busy VM under serialize: one after the other", async function () {
        this.timeout(20000);
        const { host, vmIds } = await slowLab({ serialize: true });
        const id = vmIds[0]!;
        const both = await timed(() =>
            Promise.all([
                host.takeCheckpoint({ id }, { name: "first" }),
                new Promise((r) => setTimeout(r, PRODUCTION_MS / 4)).then(() => host.takeCheckpoint({ id }, { name: "second" })),
            ]),
        );
        assert.ok(both.ms >= 2 * PRODUCTION_MS * 0.95, `two queued checkpoints took ${both.ms.toFixed(0)} ms`);
        const cps = await checkpointsOf(host, id);
        assert.deepEqual(
            cps.map((c) => c.name),
            ["first", "second"],
        );
        assert.equal(cps[1]?.parentId, cps[0]?.id, "the second one was taken after the first");
    });

    it("refuses what Hyper-V refuses before spending the operation's time", async function () {
        this.timeout(20000);
        const { host, vmIds, folder } = await slowLab();
        await host.applyCheckpointSettings({ id: vmIds[0]! }, { checkpointType: "Disabled" });
        const refused = await timed(() => rejectsWith(() => host.takeCheckpoint({ id: vmIds[0]! }, { name: "no" }), "CheckpointsDisabled"));
        assert.ok(refused.ms < PRODUCTION_MS / 2, `the refusal took ${refused.ms.toFixed(0)} ms`);
        assert.equal(readLab(folder).checkpoints.length, 0);
    });

    it("takes a standard checkpoint of a running VM longer the more memory it has", async function () {
        this.timeout(30000);
        // A time scale at which the memory costs the large VM about 1.9 s more: wide enough that a
        // loaded machine's noise on the small take (suites run side by side) cannot hide it.
        const timeScale = 0.03;
        const { folder, host } = await freshLab({ latency: { profile: "realistic", timeScale } });
        const small = await addVm(folder, { name: "small", state: "Running", checkpointType: "Standard", memoryMB: 1024 });
        const large = await addVm(folder, { name: "large", state: "Running", checkpointType: "Standard", memoryMB: 32768 });
        const quick = await timed(() => host.takeCheckpoint({ id: small.id }, { name: "c" }));
        const slow = await timed(() => host.takeCheckpoint({ id: large.id }, { name: "c" }));
        const extraMs = ((32768 - 1024) / realisticLatency.memoryWriteMBps) * 1000 * timeScale;
        assert.ok(slow.ms - quick.ms >= extraMs * 0.75, `${slow.ms.toFixed(0)} ms against ${quick.ms.toFixed(0)} ms`);
    });

    it("slows a lab down from the environment, HYPERV_LAB_LATENCY=realistic@<scale>, and says what it expects of a bad value", async function () {
        this.timeout(20000);
        const { folder, host } = await freshLab();
        const vm = await addVm(folder, { name: "web01", state: "Running" });
        const saved = process.env.HYPERV_LAB_LATENCY;
        try {
            process.env.HYPERV_LAB_LATENCY = `realistic@${SCALE}`;
            const { ms } = await timed(() => host.takeCheckpoint({ id: vm.id }, { name: "slow" }));
            assert.ok(ms >= PRODUCTION_MS * 0.95, `took ${ms.toFixed(0)} ms`);
            process.env.HYPERV_LAB_LATENCY = "glacial";
            await assert.rejects(() => host.takeCheckpoint({ id: vm.id }, { name: "x" }), /HYPERV_LAB_LATENCY="glacial" is not <profile>\[@<timeScale>\]/);
        } finally {
            if (saved === undefined) delete process.env.HYPERV_LAB_LATENCY;
            else process.env.HYPERV_LAB_LATENCY = saved;
        }
    });

    it("makes the stand-in Hyper-V module's cmdlets take the same time, reads included", async function () {
        this.timeout(20000);
        const { folder, vmIds } = await slowLab({ scale: 1 });
        const read = await timed(() => runCmdlet(folder, "Get-VM", { ids: [vmIds[0]] }));
        assert.ok(read.ms >= realisticLatency.readMs * 0.95, `Get-VM took ${read.ms.toFixed(0)} ms`);
        await setHostSettings(folder, { latency: { timeScale: SCALE } });
        const taken = await timed(() => runCmdlet(folder, "Checkpoint-VM", { vmId: vmIds[0], SnapshotName: "through the module" }));
        assert.ok(taken.ms >= PRODUCTION_MS * 0.95, `Checkpoint-VM took ${taken.ms.toFixed(0)} ms`);
        const both = await timed(() => Promise.all(vmIds.map((vmId) => runCmdlet(folder, "Checkpoint-VM", { vmId, SnapshotName: "side by side" }))));
        assert.ok(both.ms < PRODUCTION_MS * 1.6, `two VMs through the module took ${both.ms.toFixed(0)} ms`);
    });
});
