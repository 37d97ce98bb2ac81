import * as assert from "node:assert/strict";
import type { HyperVHost, Vm, VmRef } from "../../provider/host";
import { type MergeWatch, waitForMerge } from "../../provider/resources/shared/merge-wait";

/*
 * Waits for merges on one VM share their reads of it (provider/resources/shared/merge-reads.ts),
 * but never take a read that started before their own removal returned: it may not show the merge
 * that removal began. A scripted host answers each read when the test says.
 */

type Answer = { merging: boolean };

/** A host whose reads wait until the test answers them, in order. */
function scriptedHost() {
    const pending: { ref: VmRef; answer: (a: Answer) => void }[] = [];
    const host = {
        displayName: "scripted",
        getVm(ref: VmRef): Promise<Vm> {
            return new Promise((resolve) => {
                pending.push({
                    ref,
                    answer: ({ merging }) => resolve({ id: "vm-1", name: "db01", ...(merging ? { merge: { percentComplete: 50 } } : {}) } as unknown as Vm),
                });
            });
        },
    } as unknown as HyperVHost;
    return { host, pending, reads: () => pending.length };
}

const watch: MergeWatch = { timeoutSeconds: () => 60, pollMs: 5, report: async () => undefined };
const target = (checkpoint: string) => ({
    vm: { id: "vm-1" },
    vmName: "db01",
    checkpoint,
    urn: undefined,
    operation: "remove checkpoint",
    whileWaiting: "the checkpoint is removed, its disks are not whole yet",
});
const settle = () => new Promise((r) => setTimeout(r, 20));

/** Until the host has had `count` reads (a loaded machine may run the waits' timers late), then a moment for any extra one. */
async function readsReach(reads: () => number, count: number): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (reads() < count && Date.now() < deadline) await settle();
    await settle();
}

describe("merge waits on one VM share their reads", () => {
    it("two deletes waiting at once share every poll after their first reads", async () => {
        const { host, pending, reads } = scriptedHost();
        const first = waitForMerge(host, target("before"), watch);
        const second = waitForMerge(host, target("after"), watch);
        await readsReach(reads, 2);
        // Each first read is the wait's own: the other's had started before this wait began.
        assert.equal(reads(), 2);
        pending[0]!.answer({ merging: true });
        pending[1]!.answer({ merging: true });
        for (let poll = 1; poll <= 3; poll++) {
            await readsReach(reads, 2 + poll);
            assert.equal(reads(), 2 + poll, "one read per poll for both waits");
            pending[1 + poll]!.answer({ merging: poll < 3 });
        }
        await Promise.all([first, second]);
        assert.equal(reads(), 5, "alone, each wait would have read 4 times");
    });

    it("a wait that begins while an older read is in flight reads again, and the older wait then takes the newer read", async () => {
        const { host, pending, reads } = scriptedHost();
        const first = waitForMerge(host, target("before"), watch);
        await readsReach(reads, 1);
        // The second removal returns now: the read in flight started before it and may not show its merge.
        let secondDone = false;
        const second = waitForMerge(host, target("after"), watch).then(() => {
            secondDone = true;
        });
        await readsReach(reads, 2);
        assert.equal(reads(), 2, "the second wait does not take the older read");
        pending[0]!.answer({ merging: true });
        await settle();
        assert.equal(secondDone, false);
        pending[1]!.answer({ merging: false });
        await Promise.all([first, second]);
        assert.equal(reads(), 2, "the first wait's next poll took the second wait's read, which started after its own");
    });

    it("waits on different VMs keep their own reads", async () => {
        const { host, pending, reads } = scriptedHost();
        const one = waitForMerge(host, target("before"), watch);
        const other = waitForMerge(host, { ...target("before"), vm: { id: "vm-2" } }, watch);
        await readsReach(reads, 2);
        assert.equal(reads(), 2);
        for (const p of pending) p.answer({ merging: false });
        await Promise.all([one, other]);
    });
});
