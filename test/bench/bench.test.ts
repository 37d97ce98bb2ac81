import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runBench } from "../../bench/main";
import { measurePreviewCost } from "../../bench/preview-cost";
import { render } from "../../bench/report";

/*
 * The benchmark at a tiny size, so that it cannot rot: every part runs, through the real engine,
 * and the JSON holds a measured value for every figure. The numbers themselves are not judged.
 */
describe("npm run bench, at a tiny size", function () {
    this.timeout(900_000);

    it("measures the engine floor and ours, the provider in process and the host traffic, and writes them as JSON", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-")), "results.json");
        const results = await runBench({
            sizes: [1], refreshSizes: [1, 3], rounds: 1, out,
            parts: { engine: true, provider: true, traffic: true },
            log: () => undefined,
        });
        const written = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.deepEqual(written.sizes, [1]);

        assert.equal(written.engine.summary.length, 3, "up, no-change up and refresh");
        for (const s of written.engine.summary) {
            assert.ok(s.floorSeconds > 0 && s.oursSeconds > 0 && s.ratio > 0, `${s.op} at N=${s.vms} measured`);
            assert.ok(s.floorPeakRssMb > 0 && s.oursPeakRssMb > 0, `${s.op} at N=${s.vms}: peak memory measured`);
            assert.ok(s.bothRequired, `${s.op}: the floor's provider and ours are both serialised as a require of an installed package`);
            assert.ok(s.floorStateBytes > 0 && s.oursStateBytes > 0, `${s.op}: state size measured`);
        }

        const ops = new Set(written.provider.runs.map((r: { op: string }) => r.op));
        assert.deepEqual([...ops].sort(), ["check", "create", "delete", "diff", "read"]);
        for (const r of written.provider.runs) assert.ok(r.msPerCall >= r.hostMsPerCall && r.hostMsPerCall >= 0);

        const traffic = written.traffic.operations.at(-1).operations;
        for (const o of traffic) assert.ok(o.roundTrips >= 1 && o.bytesOutPerTrip > 0 && o.bytesInPerTrip > 0, `${o.resource} ${o.op}`);
        assert.deepEqual(written.traffic.refresh.map((r: { checkpoints: number }) => r.checkpoints), [1, 3]);
        for (const s of written.traffic.shells) assert.equal(s.sessions, s.hosts, "one shell session per host");

        assert.match(render(results), /ours\/floor/);
    });
});

describe("npm run bench:preview, at a tiny size", function () {
    this.timeout(120_000);

    it("measures check in up (no host call) and in preview (one read per VM)", async () => {
        const [up, preview] = await measurePreviewCost(3);
        assert.match(up!, /3 VMs, 9 resources, check in up: \d+ ms wall, 0 host calls \(none\)/);
        assert.match(preview!, /3 VMs, 9 resources, check in preview: \d+ ms wall, \d+ host calls \(.*getVmWithCheckpoints 3\b/);
    });
});
