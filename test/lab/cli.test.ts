import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CLI = path.resolve(__dirname, "../../provider/lab/cli/main.js");
const folders: string[] = [];

function newFolder(): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "hyperv-lab-cli-"));
    folders.push(folder);
    return path.join(folder, "lab");
}

/** Runs `hyperv-lab` as a user would, with Node 24. */
function hypervLab(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
    const { HYPERV_LAB: _ignored, HYPERV_LAB_FAULT: _none, ...inherited } = process.env;
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...inherited, ...env } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json<T>(args: string[]): T {
    const result = hypervLab([...args, "--json"]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as T;
}

interface ShownLab {
    vms: {
        vm: { id: string; name: string; state: string; checkpointType: string | null; parentCheckpointId: string | null };
        checkpoints: { id: string; name: string; snapshotType: string }[];
    }[];
    backupServiceName: string;
}

describe("hyperv-lab CLI", () => {
    after(() => {
        for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true });
    });

    it("creates the sample host and shows every VM and each checkpoint tree with where the VM is", () => {
        const lab = newFolder();
        const init = hypervLab(["--lab", lab, "init", "--sample"]);
        assert.equal(init.status, 0, init.stderr);
        assert.match(init.stdout, /Created a Windows Server 2022 Datacenter lab with 7 VM/);
        const shown = hypervLab(["--lab", lab, "show"]);
        assert.equal(shown.status, 0, shown.stderr);
        for (const name of ["web01", "sql01", "legacy-erp", "linux-build", "dc01", "reports", "dev01"]) assert.ok(shown.stdout.includes(name), name);
        assert.match(shown.stdout, /Clean install/);
        assert.equal(shown.stdout.match(/you are here/g)?.length, 2, "web01 and dev01 have checkpoints");
        assert.match(shown.stdout, /│ Backup \(volume shadow copy\) +│/);
        assert.match(shown.stdout, /linux-build .*│ on, guest silent +│/);
    });

    it("prints JSON with --json", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init", "--sample"]);
        const view = json<ShownLab>(["--lab", lab, "show"]);
        assert.equal(view.vms.length, 7);
        const dev = view.vms.find((e) => e.vm.name === "dev01");
        assert.deepEqual(
            dev?.checkpoints.map((c) => c.name),
            ["Clean install", "Tools installed", "Experiment"],
        );
        assert.equal(dev?.vm.parentCheckpointId, dev?.checkpoints[2]?.id);
    });

    it("takes, renames, applies and removes checkpoints out of band", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        const added = json<{ id: string }>(["--lab", lab, "vm", "add", "app", "--state", "Running", "--checkpoint-type", "Standard"]);
        const taken = json<{ kind: string; checkpoint: { id: string } }>(["--lab", lab, "checkpoint", "take", "app", "first"]);
        assert.equal(taken.kind, "standard");
        assert.equal(hypervLab(["--lab", lab, "checkpoint", "rename", "app", "first", "renamed"]).status, 0);
        const applied = hypervLab(["--lab", lab, "checkpoint", "apply", added.id, "renamed"]);
        assert.equal(applied.status, 0, applied.stderr);
        assert.match(applied.stdout, /is Saved/);
        assert.equal(hypervLab(["--lab", lab, "checkpoint", "remove", "app", taken.checkpoint.id]).status, 0);
        const view = json<ShownLab>(["--lab", lab, "show", "app"]);
        assert.deepEqual(view.vms[0]?.checkpoints, []);
    });

    it("leaves a recovery checkpoint that shows its SnapshotType", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        hypervLab(["--lab", lab, "vm", "add", "db"]);
        const took = hypervLab(["--lab", lab, "checkpoint", "take", "db", "nightly backup", "--snapshot-type", "Recovery"]);
        assert.equal(took.status, 0);
        assert.match(took.stdout, /^Took Recovery checkpoint "nightly backup"/);
        assert.match(hypervLab(["--lab", lab, "show"]).stdout, /nightly backup \[Recovery, disk only\]/);
    });

    it("shows a chain of 50 checkpoints in one column, within a terminal's width", function () {
        // 52 CLI processes one after another: time for a loaded machine running suites side by side.
        this.timeout(120_000);
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        hypervLab(["--lab", lab, "vm", "add", "db"]);
        for (let i = 1; i <= 50; i++) assert.equal(hypervLab(["--lab", lab, "checkpoint", "take", "db", `cp${i}`]).status, 0);
        const tree = hypervLab(["--lab", lab, "show"])
            .stdout.split("\n")
            .filter((l) => /cp\d+ \[|you are here/.test(l));
        assert.equal(tree.length, 51);
        for (const line of tree) assert.ok(line.length <= 110, `${line.length} columns: ${line}`);
    });

    it("fails with one line and a non-zero exit code for an unknown VM", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        const result = hypervLab(["--lab", lab, "vm", "start", "ghost"]);
        assert.equal(result.status, 1);
        assert.equal(result.stderr.trim().split("\n").length, 1);
        assert.match(result.stderr, /^hyperv-lab: .*unable to find a virtual machine with name "ghost"/);
    });

    it("reports the error code in JSON with --json", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        hypervLab(["--lab", lab, "vm", "add", "twin"]);
        hypervLab(["--lab", lab, "vm", "add", "twin"]);
        const result = hypervLab(["--lab", lab, "--json", "checkpoint", "take", "twin", "x"]);
        assert.equal(result.status, 1);
        assert.equal((JSON.parse(result.stderr) as { error: { code: string } }).error.code, "AmbiguousVmName");
    });

    it("refuses to replace an existing lab unless forced", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init", "--sample"]);
        const again = hypervLab(["--lab", lab, "init"]);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /already holds a Hyper-V lab/);
        assert.equal(hypervLab(["--lab", lab, "init", "--force"]).status, 0);
        assert.equal(json<ShownLab>(["--lab", lab, "show"]).vms.length, 0);
    });

    it("poses as Windows Server 2012 R2 and refuses checkpoint types there", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init", "--sample", "--os", "2012r2"]);
        const view = json<ShownLab>(["--lab", lab, "show"]);
        assert.ok(view.vms.every((e) => e.vm.checkpointType === null));
        const result = hypervLab(["--lab", lab, "vm", "set", "web01", "--checkpoint-type", "Standard"]);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /parameter name 'CheckpointType'/);
    });

    it("speaks Japanese on a Japanese host", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init", "--sample", "--language", "ja-JP"]);
        assert.match(hypervLab(["--lab", lab, "show"]).stdout, /バックアップ \(ボリューム チェックポイント\)/);
        const result = hypervLab(["--lab", lab, "checkpoint", "take", "sql01", "x"]);
        assert.equal(result.status, 0, result.stderr);
        hypervLab(["--lab", lab, "vm", "set", "sql01", "--checkpoint-type", "Disabled"]);
        assert.match(hypervLab(["--lab", lab, "checkpoint", "take", "sql01", "y"]).stderr, /チェックポイントは無効になっています/);
    });

    it("takes an automatic checkpoint on start and removes it on a clean stop", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        hypervLab(["--lab", lab, "vm", "add", "desk", "--automatic-checkpoints", "on"]);
        assert.equal(hypervLab(["--lab", lab, "vm", "start", "desk"]).status, 0);
        assert.match(hypervLab(["--lab", lab, "show"]).stdout, /Automatic Checkpoint - desk - .*automatic/);
        assert.equal(hypervLab(["--lab", lab, "vm", "stop", "desk"]).status, 0);
        assert.deepEqual(json<ShownLab>(["--lab", lab, "show"]).vms[0]?.checkpoints, []);
    });

    it("pauses a running VM and resumes it, and refuses to resume one that is not paused", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        hypervLab(["--lab", lab, "vm", "add", "app", "--state", "Running"]);
        assert.match(hypervLab(["--lab", lab, "vm", "suspend", "app"]).stdout, /VM "app" is Paused/);
        assert.match(hypervLab(["--lab", lab, "vm", "resume", "app"]).stdout, /VM "app" is Running/);
        const refused = hypervLab(["--lab", lab, "vm", "resume", "app"]);
        assert.notEqual(refused.status, 0);
        assert.match(refused.stderr, /Running/);
    });

    it("finds the lab through HYPERV_LAB", () => {
        const lab = newFolder();
        assert.equal(hypervLab(["init"], { HYPERV_LAB: lab }).status, 0);
        assert.ok(fs.existsSync(path.join(lab, "lab.journal")));
    });

    it("explains its commands with --help and rejects unknown options", () => {
        const help = hypervLab(["--help"]);
        assert.equal(help.status, 0);
        for (const command of ["init", "show", "vm", "checkpoint", "host"]) assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
        const bad = hypervLab(["vm", "set", "x", "--bogus"]);
        assert.notEqual(bad.status, 0);
        assert.equal(bad.stderr.trim().split("\n").length, 1);
    });

    it("sets the unconfirmed behaviours of the host", () => {
        const lab = newFolder();
        hypervLab(["--lab", lab, "init"]);
        const settings = json<{ behaviour: { restoredStandardState: string; removeWithChildren: string } }>([
            "--lab",
            lab,
            "host",
            "set",
            "--restored-standard-state",
            "Running",
            "--remove-with-children",
            "removeSubtree",
        ]);
        assert.deepEqual([settings.behaviour.restoredStandardState, settings.behaviour.removeWithChildren], ["Running", "removeSubtree"]);
    });
});
