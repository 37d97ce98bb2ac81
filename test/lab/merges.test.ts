import * as assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { LabHost, readLab, realisticLatency, setVolume, writeToVm } from "../../provider/lab";
import type { VmMerge } from "../../provider/host";
import { labWithVm, rejectsWith, removeLabs } from "./helpers";

/*
 * Merges in the background (provider/lab/merges.ts): removal returns once the checkpoint is gone,
 * and the VM's read reports the merge's progress until the model's time for its bytes has passed.
 * Time-scaled: 15 GiB merge in 102 s at 150 MB/s, 2 s at this scale.
 */

const GiB = 1024 ** 3;
const SCALE = 0.02;
const latency = { profile: "realistic" as const, timeScale: SCALE };
const mergeMsOf = (bytes: number) => (bytes / 1024 ** 2 / realisticLatency.mergeMBps) * 1000 * SCALE;

/** The lab's merge, which always knows its percentage and bytes (the port lets a host leave them out). */
function known(merge: VmMerge | undefined): Required<VmMerge> {
    assert.ok(merge, "the VM reports a merge");
    const { percentComplete, bytesLeft } = merge;
    assert.ok(percentComplete !== undefined && bytesLeft !== undefined, JSON.stringify(merge));
    return { percentComplete, bytesLeft };
}

/** A VM with one checkpoint whose removal merges `written` bytes. */
async function vmToMerge(written: number, options: { latency?: typeof latency } = { latency }) {
    const { folder, host, vmId } = await labWithVm({ state: "Off" }, options.latency ? { latency: options.latency } : {});
    const taken = await host.takeCheckpoint({ id: vmId }, { name: "before" });
    await writeToVm(folder, { id: vmId }, written);
    return { folder, host, vmId, checkpointId: taken.checkpoint.id };
}

describe("lab host: merges in the background", () => {
    afterEach(removeLabs);

    it("returns from a removal before the merge is done, and reports its progress in the VM's read until the model's time has passed", async function () {
        this.timeout(30_000);
        const written = 15 * GiB;
        const { host, vmId, checkpointId } = await vmToMerge(written);
        const started = performance.now();
        await host.removeCheckpoint(vmId, checkpointId);
        const removedMs = performance.now() - started;
        const mergeMs = mergeMsOf(written);
        assert.ok(removedMs < mergeMs / 2, `the removal returned after ${removedMs.toFixed(0)} ms of a ${mergeMs.toFixed(0)} ms merge`);

        const first = known((await host.getVm({ id: vmId })).merge);
        assert.ok(first.percentComplete < 50 && first.bytesLeft > written / 2 && first.bytesLeft <= written, JSON.stringify(first));
        await sleep(mergeMs / 2);
        const later = known((await host.getVm({ id: vmId })).merge);
        assert.ok(later.percentComplete > first.percentComplete && later.bytesLeft < first.bytesLeft, JSON.stringify({ first, later }));
        // Another process reads the same merge (the record is in the lab, not in this host's memory).
        assert.ok((await new LabHost(host.folder).getVmWithCheckpoints({ id: vmId })).vm.merge);

        while ((await host.getVm({ id: vmId })).merge) await sleep(50);
        const doneMs = performance.now() - started;
        assert.ok(doneMs >= mergeMs * 0.95, `the merge ended after ${doneMs.toFixed(0)} ms; the model says ${mergeMs.toFixed(0)}`);
        assert.equal((await host.getVmWithCheckpoints({ id: vmId })).checkpoints.length, 0);
    });

    it("queues a second removal's merge behind the one under way: the VM reports both merges' bytes", async function () {
        this.timeout(30_000);
        const { folder, host, vmId } = await labWithVm({ state: "Off" }, { latency });
        const one = await host.takeCheckpoint({ id: vmId }, { name: "one" });
        await writeToVm(folder, { id: vmId }, 10 * GiB);
        const two = await host.takeCheckpoint({ id: vmId }, { name: "two" });
        await writeToVm(folder, { id: vmId }, 10 * GiB);
        await host.removeCheckpoint(vmId, two.checkpoint.id);
        const alone = known((await host.getVm({ id: vmId })).merge);
        await host.removeCheckpoint(vmId, one.checkpoint.id);
        const both = known((await host.getVm({ id: vmId })).merge);
        assert.ok(both.bytesLeft > alone.bytesLeft + 9 * GiB, JSON.stringify({ alone, both }));
        const record = readLab(folder).vms.find((v) => v.id === vmId)!.merge!;
        assert.ok(record.durationMs >= mergeMsOf(20 * GiB) * 0.95, `${record.durationMs} ms recorded for 20 GiB`);
    });

    it("fails a merge without room on the volume when the removal starts it, and records no merge", async () => {
        const { folder, host, vmId, checkpointId } = await vmToMerge(GiB);
        await setVolume(folder, "C:", 10 * GiB, 512 * 1024 ** 2);
        await rejectsWith(() => host.removeCheckpoint(vmId, checkpointId), "InsufficientSpace");
        assert.equal((await host.getVm({ id: vmId })).merge, undefined);
        assert.equal(readLab(folder).vms.find((v) => v.id === vmId)!.merge, null);
    });

    it("reports no merge under the default latency profile, none: merges are instant there", async () => {
        const { host, vmId, checkpointId } = await vmToMerge(100 * GiB, {});
        await host.removeCheckpoint(vmId, checkpointId);
        assert.equal((await host.getVm({ id: vmId })).merge, undefined);
    });
});
