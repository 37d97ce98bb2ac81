import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CLI = path.resolve(__dirname, "../../provider/lab/cli/main.js");

/** Runs `hyperv-lab --lab <lab>` as a user would. */
function hypervLab(lab: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const { HYPERV_LAB: _ignored, HYPERV_LAB_FAULT: _none, ...env } = process.env;
    const result = spawnSync(process.execPath, [CLI, "--lab", lab, ...args], { encoding: "utf8", env });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(lab: string, args: string[]): string {
    const result = hypervLab(lab, args);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
}

/** The node each VM's row sits under in `show`. */
function nodesInShow(text: string): Record<string, string> {
    const owners: Record<string, string> = {};
    let node = "";
    for (const line of text.split("\n")) {
        const header = /^(node\d+) \[(Up|Down)\]/.exec(line);
        if (header) node = header[1]!;
        const row = /^│ (\S+)\s+│ [0-9a-f-]{36} /.exec(line);
        if (row && node) owners[row[1]!] = node;
    }
    return owners;
}

describe("hyperv-lab CLI on a cluster lab (the command names other tools script)", function () {
    // Nine commands, each a Node process of its own.
    this.timeout(60_000);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "hyperv-lab-cluster-cli-"));
    const lab = path.join(folder, "lab");
    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    it("makes a cluster, adds, migrates and fails over VMs, and shows them grouped by owner node", () => {
        assert.match(ok(lab, ["init", "--cluster", "3"]), /cluster of 3 nodes with 0 VM\(s\)/);
        assert.match(ok(lab, ["vm", "add", "web", "--node", "node1", "--clustered", "--state", "Running"]), /on node1, clustered/);
        ok(lab, ["vm", "add", "build", "--node", "node2"]);
        assert.match(ok(lab, ["vm", "migrate", "web", "--to", "node2", "--quick"]), /VM "web" runs on node2/);
        assert.deepEqual(nodesInShow(ok(lab, ["show"])), { web: "node2", build: "node2" });
        assert.match(ok(lab, ["node", "stop", "node2"]), /Node node2 is down; failed over: web -> node1; unreachable until it starts: build/);
        const shown = ok(lab, ["show"]);
        assert.match(shown, /^node2 \[Down\]: 1 VM\(s\)/m);
        assert.deepEqual(nodesInShow(shown), { web: "node1", build: "node2" });
        assert.match(ok(lab, ["node", "start", "node2"]), /Node node2 is up/);
    });

    it("refuses, in one line naming the fix, a migration of a local VM and a node count out of range", () => {
        const local = hypervLab(lab, ["vm", "migrate", "build", "--to", "node3"]);
        assert.equal(local.status, 1);
        assert.match(local.stderr, /is local to node2, not a clustered role: the cluster cannot migrate it/);
        const count = hypervLab(path.join(folder, "other"), ["init", "--cluster", "0"]);
        assert.equal(count.status, 1);
        assert.match(count.stderr, /expected a whole number of nodes from 1 to 64/);
    });
});
