import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import lockfile = require("proper-lockfile");
import { fleetLab } from "../../bench/lab-fleet";
import { measureLabMutation } from "../../bench/lab-mutation";
import { addVm, journalPath, LabHost, readLab } from "../../provider/lab";
import { LAB_FORMAT } from "../../provider/lab/document";
import { freshLab, labWithVm, rejectsWith, removeLabs } from "./helpers";
import { checkpointsOf } from "../host/reads";

function generationOf(folder: string): string {
    const header = fs.readFileSync(journalPath(folder), "utf8").split("\n")[0] ?? "";
    return (JSON.parse(header.slice(17)) as { generation: string }).generation;
}

describe("lab storage: a journal that does not grow with the fleet", () => {
    afterEach(removeLabs);

    it("costs about the same per mutation at 10 VMs as at 2,000", async function () {
        this.timeout(180000);
        const small = await measureLabMutation(10, 60);
        const large = await measureLabMutation(2000, 60);
        // The one-document store rewrote every VM per call: at 1,000 VMs already 3x the CPU and 4x the time of 10.
        const cpu = large.cpuMsPerMutation / small.cpuMsPerMutation;
        const wall = large.medianMsPerMutation / small.medianMsPerMutation;
        const figures =
            `${large.cpuMsPerMutation.toFixed(2)} CPU ms and ${large.medianMsPerMutation.toFixed(2)} ms at 2,000 VMs, ` +
            `${small.cpuMsPerMutation.toFixed(2)} and ${small.medianMsPerMutation.toFixed(2)} at 10`;
        // Wall time also holds the disk waits and, under npm test's side-by-side suites, the waits for
        // a core (19 ms of wall against 5 of CPU seen there): CPU is the tight bound, wall a loose one.
        assert.ok(cpu < 2 && wall < 6, figures);
    });

    it("opens a lab stored as one document (host.json), converting it to the journal and keeping the document as a backup", async () => {
        const { folder, host, vmId } = await labWithVm({ name: "old" });
        await host.takeCheckpoint({ id: vmId }, { name: "from before" });
        const before = readLab(folder);
        const oneDocument = { format: LAB_FORMAT, host: before.host, vms: before.vms, checkpoints: before.checkpoints };
        fs.writeFileSync(path.join(folder, "host.json"), JSON.stringify(oneDocument));
        fs.rmSync(journalPath(folder));

        const reopened = new LabHost(folder);
        const { checkpoints } = await reopened.getVmWithCheckpoints({ name: "old" });
        assert.deepEqual(
            checkpoints.map((c) => c.name),
            ["from before"],
        );
        assert.ok(fs.existsSync(journalPath(folder)));
        assert.ok(!fs.existsSync(path.join(folder, "host.json")) && fs.existsSync(path.join(folder, "host.json.converted")));
        await reopened.takeCheckpoint({ id: vmId }, { name: "after" });
        assert.deepEqual(
            (await checkpointsOf(reopened, vmId)).map((c) => c.name),
            ["from before", "after"],
        );
    });

    it("refuses a one-document lab it cannot read, naming the file", async () => {
        const { folder } = await freshLab();
        fs.rmSync(journalPath(folder));
        fs.writeFileSync(path.join(folder, "host.json"), "{ not json");
        const error = await rejectsWith(() => new LabHost(folder).getVm({ name: "x" }), "HostFailure");
        assert.ok(error.message.includes(path.join(folder, "host.json")), error.message);
    });

    it("ignores a last line a crash tore, and the next write cuts it off", async () => {
        const { folder, host, vmId } = await labWithVm();
        const intact = fs.readFileSync(journalPath(folder), "utf8");
        fs.appendFileSync(journalPath(folder), '0123456789abcdef {"vms":[{"vm":{"id":"torn');
        assert.equal((await host.getVm({ id: vmId })).name, "web01");
        fs.appendFileSync(journalPath(folder), "\n");
        assert.equal((await new LabHost(folder).getVm({ id: vmId })).name, "web01", "a complete line that fails its checksum is ignored too");
        await host.takeCheckpoint({ id: vmId }, { name: "after the tear" });
        const text = fs.readFileSync(journalPath(folder), "utf8");
        assert.ok(text.startsWith(intact) && !text.includes("torn"), "the torn line is gone, what was committed is kept");
        assert.deepEqual(
            (await checkpointsOf(host, vmId)).map((c) => c.name),
            ["after the tear"],
        );
    });

    it("compacts the journal once what follows the snapshot outgrows it, and readers follow", async function () {
        this.timeout(120000);
        const { folder, host, vmId } = await labWithVm();
        const other = await addVm(folder, { name: "other" });
        const generation = generationOf(folder);
        let largest = 0;
        for (let i = 0; i < 600; i++) {
            const taken = await host.takeCheckpoint({ id: vmId }, { name: `round ${i}` });
            await host.removeCheckpoint(vmId, taken.checkpoint.id);
            largest = Math.max(largest, fs.statSync(journalPath(folder)).size);
        }
        assert.notEqual(generationOf(folder), generation, "a new generation was written");
        assert.ok(largest < 2 * 1024 * 1024, `the journal reached ${largest} bytes`);
        const doc = readLab(folder);
        assert.deepEqual(
            doc.vms.map((v) => v.name),
            ["web01", other.name],
        );
        assert.deepEqual(doc.checkpoints, []);
    });
});

describe("lab storage: many mutations of one provider process at once", () => {
    it("queue for the lab's lock in the process, so only one of them polls the lock file at a time", async function () {
        this.timeout(120000);
        // Polled by every waiter (mkdir and stat every 5-40 ms), 200 takes at once cost 1.4-1.6x the
        // CPU per take of one at a time and 1.9x the wall time (2026-12-03); queued, about the same.
        const folder = await fleetLab(100);
        const original = lockfile.lock;
        let waiting = 0;
        let mostAtOnce = 0;
        lockfile.lock = async (...args: Parameters<typeof lockfile.lock>) => {
            // Only the lab-wide lock (each VM's own busy marker is a lock file too, taken without retries).
            if (args[0] !== journalPath(folder)) return original(...args);
            mostAtOnce = Math.max(mostAtOnce, ++waiting);
            try {
                return await original(...args);
            } finally {
                waiting--;
            }
        };
        try {
            const host = new LabHost(folder);
            const ids = readLab(folder).vms.map((v) => v.id);
            await Promise.all(ids.map((id, i) => host.takeCheckpoint({ id }, { name: `take ${i}` })));
            assert.equal(mostAtOnce, 1, `${mostAtOnce} mutations of this process polled the lab's lock at once`);
            for (const [i, id] of ids.entries())
                assert.deepEqual(
                    (await checkpointsOf(host, id)).map((c) => c.name),
                    [`take ${i}`],
                );
        } finally {
            lockfile.lock = original;
            fs.rmSync(folder, { recursive: true, force: true });
        }
    });
});
