import * as assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import type { HyperVHost } from "../../provider/host";
import { guardError } from "../../provider/resources/shared/take-limits";
import { addVm, readLab, realisticLatency, setVm, setVolume, writeToVm } from "../../provider/lab";
import { createGroup, deleteGroup } from "../../provider/resources/group/lifecycle";
import { groupInputsSchema } from "../../provider/resources/group/schema";
import { createCheckpoint, deleteCheckpoint } from "../../provider/resources/checkpoint/lifecycle";
import { checkpointInputsSchema } from "../../provider/resources/checkpoint/schema";
import { mergeStatus, type MergeWatch } from "../../provider/resources/shared/merge-wait";
import { labWithVm, removeLabs } from "../lab/helpers";

/*
 * A delete of a Checkpoint waits for the merge Hyper-V runs in the background, showing progress on
 * the resource, bounded by hyperv:mergeTimeoutSeconds. On the lab, time-scaled: 12 GiB merge in
 * 82 s at 150 MB/s, 1.6 s at this scale.
 */

const GiB = 1024 ** 3;
const SCALE = 0.02;
const URN = "urn:pulumi:dev::disks::hyperv:index:Checkpoint::before";
const mergeMsOf = (bytes: number) => (bytes / 1024 ** 2 / realisticLatency.mergeMBps) * 1000 * SCALE;

/** The status lines shown, and the VM reads made, by one delete. */
function watching(timeoutSeconds = 1800): MergeWatch & { shown: { urn: string | undefined; message: string }[] } {
    const shown: { urn: string | undefined; message: string }[] = [];
    return { timeoutSeconds: () => timeoutSeconds, pollMs: 100, shown, report: async (urn, message) => void shown.push({ urn, message }) };
}

function countingReads(host: HyperVHost): { host: HyperVHost; reads: () => number } {
    let reads = 0;
    const counted = new Proxy(host, {
        get(target, key, receiver) {
            if (key === "getVm") {
                return (...args: Parameters<HyperVHost["getVm"]>) => {
                    reads++;
                    return target.getVm(...args);
                };
            }
            const value = Reflect.get(target, key, receiver);
            return typeof value === "function" ? value.bind(target) : value;
        },
    });
    return { host: counted, reads: () => reads };
}

/** A checkpoint taken through the provider, then `written` bytes the guest wrote: what deleting it merges. */
async function checkpointToMerge(written: number, latency: boolean = true) {
    const lab = await labWithVm({ name: "db01", state: "Off" }, latency ? { latency: { profile: "realistic", timeScale: SCALE } } : {});
    const { id, outs } = await createCheckpoint(
        lab.host,
        checkpointInputsSchema.parse({ vmName: "db01", name: "before", resourceUrn: URN }),
        async () => undefined,
        watching(),
    );
    await writeToVm(lab.folder, { id: lab.vmId }, written);
    return { ...lab, id, outs };
}

describe("Checkpoint delete: waits for the merge and shows its progress", () => {
    afterEach(removeLabs);

    it("returns once the VM's disks are merged, having shown rising percentages and the bytes left on the resource", async function () {
        this.timeout(30_000);
        const written = 12 * GiB;
        const { host, id, outs, vmId } = await checkpointToMerge(written);
        const watch = watching();
        const started = performance.now();
        await deleteCheckpoint(host, id, outs, watch);
        const tookMs = performance.now() - started;
        assert.ok(tookMs >= mergeMsOf(written) * 0.95, `the delete returned after ${tookMs.toFixed(0)} ms of a ${mergeMsOf(written).toFixed(0)} ms merge`);
        assert.equal((await host.getVm({ id: vmId })).merge, undefined, "the disks are whole when the delete returns");
        assert.ok(watch.shown.length >= 3, JSON.stringify(watch.shown));
        assert.ok(watch.shown.every((s) => s.urn === URN));
        const lines = watch.shown.map((s) => s.message);
        assert.match(lines[0]!, /^merging: \d+% done, 1[12]\.\d GiB left \(db01\)$/);
        const percents = lines.map((l) => Number(/(\d+)% done/.exec(l)![1]));
        assert.deepEqual(
            percents,
            [...percents].sort((a, b) => a - b),
            "percentages rise",
        );
        assert.ok(new Set(percents).size === percents.length, "each percentage is shown once");
    });

    it("fails after hyperv:mergeTimeoutSeconds naming the VM, the checkpoint, the host, what is left and what to do; the next attempt waits for the rest", async function () {
        this.timeout(30_000);
        const { host, id, outs, vmId } = await checkpointToMerge(12 * GiB);
        const error = await deleteCheckpoint(host, id, outs, watching(0.3)).then(
            () => assert.fail("the delete should time out"),
            (e: Error) => e,
        );
        assert.match(error.message, /^remove checkpoint failed on host lab .*, VM "db01" \(.*\), checkpoint "before" \(.*\): /);
        assert.match(error.message, /still merging after 0\.3 s \(hyperv:mergeTimeoutSeconds\): \d+% done, \d+\.\d GiB left/);
        assert.match(error.message, /the checkpoint is removed, its disks are not whole yet/);
        assert.match(error.message, /Merging disks.*pulumi up.*raise hyperv:mergeTimeoutSeconds/);
        assert.ok((await host.getVm({ id: vmId })).merge, "the merge goes on");
        // The engine keeps the resource and deletes it again on the next `up`: gone, so it only waits.
        const retry = watching();
        await deleteCheckpoint(host, id, outs, retry);
        assert.equal((await host.getVm({ id: vmId })).merge, undefined);
        assert.ok(retry.shown.length > 0);
    });

    it("takes on a VM still merging from an earlier removal only once the merge is done, showing its progress; preview predicts no failure", async function () {
        this.timeout(30_000);
        const written = 12 * GiB;
        const { host, id, vmId } = await checkpointToMerge(written);
        // An earlier run's delete that did not wait (or timed out): the merge goes on.
        await host.removeCheckpoint(vmId, id);
        const merging = (await host.getVm({ id: vmId })).merge;
        assert.ok(merging);
        // The host's guard refuses a take on top of the merge, first of its checks, in its own words.
        const refusal = await host.takeCheckpoint({ id: vmId }, { name: "on top", guard: {} }).then(
            () => assert.fail("the lab should refuse a take while the VM merges"),
            (e: Error) => e,
        );
        assert.match(refusal.message, /the VM's disks are still merging from a checkpoint removed earlier \(\d+% done, \d+ bytes left\)/);
        const preview = guardError((await host.getVmWithCheckpoints({ id: vmId })).vm, (await host.getVmWithCheckpoints({ id: vmId })).storage, {
            hostName: host.displayName,
            checkpoint: "after",
            type: null,
            guard: {},
            takenBefore: 0,
            predicted: true,
        });
        assert.equal(preview, null, "preview predicts no failure: the take waits");

        const watch = watching();
        const taken = await createCheckpoint(
            host,
            checkpointInputsSchema.parse({ vmName: "db01", name: "after", resourceUrn: URN }),
            async () => undefined,
            watch,
        );
        assert.equal((await host.getVm({ id: vmId })).merge, undefined, "taken once the merge was done");
        assert.equal(taken.outs.checkpointName, "after");
        assert.ok(
            watch.shown.length >= 2 && watch.shown.every((s) => /^merging: \d+% done, [\d.]+ (GiB|MiB|bytes) left \(db01\)$/.test(s.message)),
            JSON.stringify(watch.shown),
        );
    });

    it("refuses a take after hyperv:mergeTimeoutSeconds of merging, taking nothing, naming the VM, the checkpoint and what is left", async function () {
        this.timeout(30_000);
        const { host, id, vmId } = await checkpointToMerge(12 * GiB);
        await host.removeCheckpoint(vmId, id);
        const error = await createCheckpoint(
            host,
            checkpointInputsSchema.parse({ vmName: "db01", name: "after", resourceUrn: URN }),
            async () => undefined,
            watching(0.3),
        ).then(
            () => assert.fail("the take should time out"),
            (e: Error) => e,
        );
        assert.match(
            error.message,
            /^take checkpoint failed on host lab .*, VM "db01" \(.*\), checkpoint "after": the VM's disks were still merging after 0\.3 s .*; nothing was taken/,
        );
        assert.deepEqual((await host.getVmWithCheckpoints({ id: vmId })).checkpoints, []);
    });

    it("a CheckpointGroup waits for a member VM still merging before taking or pausing anything, and its delete waits for every merge", async function () {
        this.timeout(30_000);
        const { host, id, vmId, folder } = await checkpointToMerge(12 * GiB);
        await addVm(folder, { name: "web01", state: "Off" });
        await host.removeCheckpoint(vmId, id);
        const inputs = groupInputsSchema.parse({ vms: [{ vmName: "web01" }, { vmName: "db01" }], name: "release", resourceUrn: URN });
        const hostFor = () => host;
        const taking = watching();
        const started = performance.now();
        const { outs } = await createGroup(hostFor, inputs, async () => undefined, { merges: taking });
        assert.ok(performance.now() - started >= mergeMsOf(12 * GiB) * 0.9, "the group waited for db01's merge");
        assert.equal(outs.members.length, 2);
        assert.ok(
            taking.shown.some((s) => /merging: \d+% done, .* left \(db01\)/.test(s.message)),
            JSON.stringify(taking.shown),
        );

        await writeToVm(folder, { id: vmId }, 6 * GiB);
        const deleting = watching();
        await deleteGroup(hostFor, outs, deleting);
        assert.equal((await host.getVm({ id: vmId })).merge, undefined, "db01's disks are whole when the group's delete returns");
        assert.ok(deleting.shown.length >= 2, JSON.stringify(deleting.shown));
    });

    it("fails a delete whose merge fails when its volume fills, with Hyper-V's reason and what to do, without waiting out the merge or the timeout", async function () {
        this.timeout(30_000);
        const { host, id, outs, folder, vmId } = await checkpointToMerge(12 * GiB);
        const watch = watching();
        const started = performance.now();
        const deleting = deleteCheckpoint(host, id, outs, watch).then(
            () => assert.fail("the delete should fail with the merge"),
            (e: Error) => e,
        );
        // Mid-merge, other files fill C: (1 GiB left for 12 to merge): Hyper-V stops the merge there.
        while (!(await host.getVm({ id: vmId })).merge?.percentComplete) await new Promise((r) => setTimeout(r, 50));
        await setVolume(folder, "C:", 200 * GiB, GiB);
        const error = await deleting;
        assert.ok(performance.now() - started < mergeMsOf(12 * GiB), "it failed before the merge's time was up");
        assert.match(error.message, /^remove checkpoint failed on host lab .*, VM "db01" \(.*\), checkpoint "before" \(.*\): /);
        assert.match(
            error.message,
            /the background merge of the VM's disks failed at \d+%: There is not enough space on the disk\. \(0x80070070\) on volume C:\\; Hyper-V logs it as event 19100/,
        );
        assert.match(error.message, /the checkpoint is removed, its disks are not whole yet\. Free space on volume C:\\ .*Resume-VM db01/);
        assert.ok(watch.shown.length >= 1, "the progress showed before the failure");
        assert.equal(readLab(folder).host.events.at(-1)?.operation, "mergeFailed");

        // Room again: Hyper-V merges again, and the next attempt waits for it and succeeds.
        await setVolume(folder, "C:", 200 * GiB, 100 * GiB);
        await deleteCheckpoint(host, id, outs, watching());
        assert.equal((await host.getVm({ id: vmId })).mergeFailure, undefined, "the lab reports a failure in every read");
    });

    it("refuses the delete of a checkpoint of a VM whose disk merging is disabled, saying so and what to do, and removes nothing", async () => {
        const { host, id, outs, folder, vmId } = await checkpointToMerge(GiB, false);
        await setVm(folder, { id: vmId }, { diskMergeEnabled: false });
        const error = await deleteCheckpoint(host, id, outs, watching()).then(
            () => assert.fail("the delete should be refused"),
            (e: Error) => e,
        );
        assert.match(
            error.message,
            /^remove checkpoint failed on host lab .*, VM .*: disk merging is disabled for this VM \(Msvm_DiskMergeSettingData EnabledState 0, "temporarily disabled"\).*nothing was removed\. Enable disk merging for the VM again \(.*ModifyDiskMergeSettings/,
        );
        assert.equal((await host.getVmWithCheckpoints({ id: vmId })).checkpoints.length, 1);
    });

    it("costs one host call when there is nothing to merge: no read, no status", async () => {
        const { host, id, outs } = await checkpointToMerge(12 * GiB, false);
        const counted = countingReads(host);
        const watch = watching();
        await deleteCheckpoint(counted.host, id, outs, watch);
        assert.equal(counted.reads(), 0);
        assert.deepEqual(watch.shown, []);
    });
});

describe("merge progress a host only partly knows", () => {
    it("reads well without bytes (Hyper-V's merge job counts none) or without a percentage (a job not tied to the VM)", () => {
        assert.equal(mergeStatus({ percentComplete: 40, bytesLeft: 3 * 1024 ** 3 }), "merging: 40% done, 3.0 GiB left");
        assert.equal(mergeStatus({ percentComplete: 40 }), "merging: 40% done");
        assert.equal(mergeStatus({}), "merging: progress unknown");
    });
});
