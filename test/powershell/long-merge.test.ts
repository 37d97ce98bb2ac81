import assert from "node:assert/strict";
import { orderedByVm, type HyperVHost } from "../../provider/host";
import { addVm, LabHost, readLab, setHostSettings, takeCheckpointOutOfBand, writeToVm } from "../../provider/lab";
import { mergeDurationMs } from "../../provider/lab/latency";
import { freshLab, removeLabs } from "../lab/helpers";
import { ADAPTERS, RealShells } from "./support/real-shells";

/*
 * What a fleet on one host needs from the provider: a merge that takes ten minutes on Hyper-V
 * (Remove-VMSnapshot absorbing ~90 GB of writes) runs in the background on its own VM and
 * delays no other. The lab takes
 * as long as its realistic model says, time-scaled so the test takes seconds; the PowerShell
 * adapter runs real shells (locally and over SSH) against the stand-in, which is the lab. The host
 * is the one the composition root hands resources: the adapter behind the per-VM ordering.
 */

const shells = new RealShells();
const TIME_SCALE = 0.05;
const TEN_MINUTES_OF_MERGE = 600 * 150 * 1024 * 1024;
const latency = { profile: "realistic" as const, timeScale: TIME_SCALE };

describe("a ten-minute merge (time-scaled) on one VM", () => {
    shells.hooks(ADAPTERS, removeLabs);

    for (const kind of ADAPTERS) {
        it(`delays no other VM's operations, by id or by a name not seen before, on ${kind}`, async function () {
            this.timeout(180_000);
            const { folder } = await freshLab();
            const archive = (await addVm(folder, { name: "archive", state: "Off" })).id;
            const web = (await addVm(folder, { name: "web", state: "Running", checkpointType: "Standard" })).id;
            await addVm(folder, { name: "db", state: "Running", checkpointType: "Production" });
            const old = (await takeCheckpointOutOfBand(folder, { id: archive }, { name: "before the import" })).checkpoint.id;
            await writeToVm(folder, { id: archive }, TEN_MINUTES_OF_MERGE);
            await setHostSettings(folder, { latency });
            const mergeMs = mergeDurationMs(TEN_MINUTES_OF_MERGE, latency);
            assert.ok(mergeMs / TIME_SCALE >= 600_000, "the model makes this a merge of ten minutes or more");

            const host: HyperVHost = orderedByVm(kind === "lab" ? shells.host("lab", folder) : shells.hostOn(shells.target(kind, { maxSessions: 4 }), folder));
            // Two shells started and warm (over SSH each costs a connection): what is measured is the merge, not a shell's start.
            await Promise.all([host.getVmWithCheckpoints({ id: archive }), host.getVmWithCheckpoints({ id: web })]);
            const started = Date.now();
            // Remove-VMSnapshot returns once the checkpoint is gone; the merge goes on in the background.
            const removal = await host.removeCheckpoint(archive, old);
            const lab = new LabHost(folder);
            // The removal reports the merge it started, and a read of the VM while it runs says how far
            // it is, as the lab holds it: the same percentage (bracketed by the lab's reads, the merge
            // moves on meanwhile); bytes left only where the host counts them (Hyper-V's merge job does not).
            const labBefore = (await lab.getVm({ id: archive })).merge?.percentComplete;
            const read = (await host.getVm({ id: archive })).merge;
            const labAfter = (await lab.getVm({ id: archive })).merge?.percentComplete;
            assert.ok(removal.merge?.percentComplete !== undefined, `the removal reports its merge: ${JSON.stringify(removal)}`);
            assert.ok(
                read?.percentComplete !== undefined &&
                    labBefore !== undefined &&
                    labAfter !== undefined &&
                    labBefore <= read.percentComplete &&
                    read.percentComplete <= labAfter,
                `the VM read mid-merge: ${JSON.stringify({ labBefore, read, labAfter })}`,
            );
            assert.equal(read.bytesLeft === undefined, kind !== "lab", "bytes left are the lab's only");

            const taken = await host.takeCheckpoint({ id: web }, { name: "while archive merges" });
            await host.renameCheckpoint(web, taken.checkpoint.id, "taken while archive merged");
            const { checkpoints } = await host.getVmWithCheckpoints({ id: web });
            // A VM this host has never seen, named by name (a policy's first up): looked up beside the merge, not queued behind it.
            const db = await host.applyCheckpointSettings({ name: "db" }, { checkpointType: "Standard" });
            const webDoneAt = Date.now();

            assert.ok(
                (await lab.getVm({ id: archive })).merge,
                `web's take, rename and read and db's settings finished ${webDoneAt - started} ms in, while archive merged`,
            );
            assert.equal(db.after.checkpointType, "Standard");
            assert.deepEqual(
                checkpoints.map((c) => c.name),
                ["taken while archive merged"],
            );
            while ((await lab.getVm({ id: archive })).merge) await new Promise((resolve) => setTimeout(resolve, 200));
            const mergedAt = Date.now();
            assert.ok(mergedAt - started >= mergeMs * 0.9, `the merge took the model's time (${mergedAt - started} ms of ${Math.round(mergeMs)} ms)`);
            assert.ok(webDoneAt - started < mergeMs, "web's three operations took less than the merge alone");
            assert.deepEqual(
                readLab(folder).checkpoints.filter((c) => c.vmId === archive),
                [],
                "the archive's checkpoint is merged",
            );
        });
    }
});
