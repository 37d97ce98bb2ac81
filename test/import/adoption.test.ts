import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { importFileOf, planAdoption, type AdoptionPlan, type ChosenVm } from "../../provider/import/adoption";
import { serialisedProvider } from "../../provider/resources/shared/serialised-provider";
import { programOf } from "../../provider/import/program";
import { addVm, initLab, journalPath, openLabHost, readLab, startLabVm, takeCheckpointOutOfBand } from "../../provider/lab";
import type { VmRef } from "../../provider/host";
import { diffCheckpoint } from "../../provider/resources/checkpoint/diff";
import { checkpointInputsSchema, checkpointOutputsSchema } from "../../provider/resources/checkpoint/schema";
import { diffPolicy } from "../../provider/resources/policy/diff";
import { policyInputsSchema, policyOutputsSchema } from "../../provider/resources/policy/schema";

/*
 * hyperv-import's file and code, in process and as a user runs the CLI. That the engine accepts
 * the file, and that the program then changes nothing, is test/e2e/import.test.ts.
 */

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const cli = path.join(repoRoot, "dist", "provider", "import", "cli.js");

async function listings(lab: string, refs: VmRef[]): Promise<ChosenVm[]> {
    const host = openLabHost(lab);
    const out: ChosenVm[] = [];
    for (const ref of refs) out.push({ ref, listing: await host.getVmWithCheckpoints(ref) });
    return out;
}

function withoutProvider(values: Record<string, unknown>): Record<string, unknown> {
    const { __provider: _, ...rest } = values;
    return rest;
}

describe("hyperv-import: the import file and the declarations", function () {
    this.timeout(60_000);
    let dir: string;
    let lab: string;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "hyperv-import-"));
        lab = path.join(dir, "lab");
        await initLab(lab, { sample: true });
        // What a host run by hand also has: a disabled VM, an automatic checkpoint, one left by backup software.
        await addVm(lab, { name: "kiosk 7", state: "Off", checkpointType: "Disabled" });
        await addVm(lab, { name: "build agent", state: "Off", checkpointType: "Standard", automaticCheckpointsEnabled: true });
        await startLabVm(lab, { name: "build agent" });
        await takeCheckpointOutOfBand(lab, { name: "sql01" }, { name: "Veeam restore point", snapshotType: "Recovery" });
        await takeCheckpointOutOfBand(lab, { name: "sql01" }, { name: "Before CU 14" });
        await takeCheckpointOutOfBand(lab, { name: "sql01" }, { name: "Before CU 14" });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    let plan: AdoptionPlan;

    it("declares each VM's settings as they are and each user checkpoint by name, with the state the provider would record", async () => {
        const dev01 = readLab(lab).vms.find((v) => v.name === "dev01")!;
        const chosen = await listings(lab, [
            { name: "web01" },
            { id: dev01.id },
            { name: "sql01" },
            { name: "kiosk 7" },
            { name: "build agent" },
            { name: "web01" },
        ]);
        plan = planAdoption(chosen, { policies: true, checkpoints: true, protect: true }, "lab");

        const byName = Object.fromEntries(plan.resources.map((r) => [r.name, r]));
        assert.deepEqual(
            Object.keys(byName),
            [
                "web01",
                "web01-before-iis-update",
                "dev01",
                "dev01-clean-install",
                "dev01-tools-installed",
                "dev01-experiment",
                "sql01",
                "sql01-before-cu-14",
                "sql01-before-cu-14-2",
                "kiosk-7",
                "build-agent",
            ],
            "web01 named twice is adopted once; repeated checkpoint names get distinct resource names",
        );
        assert.deepEqual(byName.web01!.inputs, {
            vmName: "web01",
            type: "production",
            fallbackToStandard: true,
            fileLocation: "D:\\Checkpoints\\web01",
            automaticCheckpoints: false,
        });
        assert.deepEqual(byName.sql01!.inputs, {
            vmName: "sql01",
            type: "production",
            fallbackToStandard: false,
            fileLocation: "D:\\Checkpoints\\sql01",
            automaticCheckpoints: false,
        });
        assert.deepEqual(byName["kiosk-7"]!.inputs, {
            vmName: "kiosk 7",
            disabled: true,
            fileLocation: "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
            automaticCheckpoints: false,
        });
        assert.deepEqual(
            byName.dev01!.inputs,
            { vmId: dev01.id, type: "standard", fileLocation: "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V", automaticCheckpoints: true },
            "a VM named by id is declared by id",
        );
        assert.deepEqual(byName["dev01-experiment"]!.inputs, { vmId: dev01.id, name: "Experiment" });
        assert.equal(byName["dev01-experiment"]!.dependsOn, "dev01");

        assert.deepEqual(
            plan.skipped.map((s) => s.replace(/\([0-9a-f-]{36}\)/g, "(id)")),
            [
                'VM "sql01": checkpoint "Veeam restore point" (id): a Recovery checkpoint, which belongs to Hyper-V Replica or backup software',
                `VM "build agent": checkpoint "${readLab(lab).checkpoints.find((c) => c.isAutomatic)!.name}" (id): an automatic checkpoint, which Hyper-V manages itself`,
            ],
        );

        for (const r of plan.resources) {
            const { entry } = r;
            assert.equal(entry.inputs.__provider, serialisedProvider(r.kind), "Check needs the serialised provider in the inputs");
            assert.equal(entry.outputs.__provider, serialisedProvider(r.kind), "refresh and destroy need it in the outputs");
            if (r.kind === "policy") {
                const inputs = policyInputsSchema.parse(withoutProvider(entry.inputs));
                const outputs = policyOutputsSchema.parse(withoutProvider(entry.outputs));
                assert.equal(entry.id, outputs.vmId);
                assert.deepEqual(diffPolicy(outputs, inputs), { changes: false, replaces: [], fields: [] }, `${r.name}: the declaration matches the state`);
                assert.deepEqual(
                    outputs.priorSettings,
                    {
                        checkpointType: outputs.checkpointType,
                        fileLocation: outputs.checkpointFileLocation,
                        automaticCheckpoints: outputs.automaticCheckpointsEnabled,
                        backupIntegrationEnabled: outputs.backupIntegrationEnabled,
                    },
                    "destroy puts back the settings found",
                );
            } else {
                const inputs = checkpointInputsSchema.parse(withoutProvider(entry.inputs));
                const outputs = checkpointOutputsSchema.parse(withoutProvider(entry.outputs));
                assert.equal(diffCheckpoint(entry.id, outputs, inputs).changes, false, `${r.name}: the declaration matches the state`);
                assert.equal(outputs.adopted, true);
                assert.equal(outputs.kind, outputs.holdsMemory ? "standard" : "unknown", "Hyper-V cannot tell production from standard afterwards");
            }
        }
    });

    it("leaves unmanaged what the provider would refuse to declare, and says so", async () => {
        await addVm(lab, { name: "odd", state: "Off", checkpointFileLocation: "relative\\folder" });
        const odd = planAdoption(await listings(lab, [{ name: "odd" }]), { policies: true, checkpoints: true, protect: false }, "lab");
        assert.deepEqual(odd.resources[0]!.inputs, { vmName: "odd", type: "production", fallbackToStandard: true, automaticCheckpoints: false });
        assert.match(odd.notes[0]!, /^VM "odd" \(.*\): fileLocation left unmanaged: fileLocation "relative\\folder" is not an absolute Windows path/);
    });

    it("adopts on a host without checkpoint types or automatic checkpoints (2012 R2) by declaring only the file location", async () => {
        const old = path.join(dir, "old");
        await initLab(old, { os: "2012r2" });
        await addVm(old, { name: "legacy", state: "Running" });
        await takeCheckpointOutOfBand(old, { name: "legacy" }, { name: "before patch" });
        const p = planAdoption(await listings(old, [{ name: "legacy" }]), { policies: true, checkpoints: true, protect: true }, "lab");
        assert.deepEqual(
            p.resources.map((r) => r.inputs),
            [
                { vmName: "legacy", fileLocation: "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V" },
                { vmName: "legacy", name: "before patch" },
            ],
        );
        const outputs = policyOutputsSchema.parse(withoutProvider(p.resources[0]!.entry.outputs));
        assert.equal(outputs.checkpointType, null);
        assert.equal(diffPolicy(outputs, policyInputsSchema.parse(p.resources[0]!.inputs)).changes, false);
    });

    it("writes TypeScript that type-checks against the package and says how to import", () => {
        const code = programOf(plan, { importFile: "hyperv-import.json", host: "lab x" });
        assert.match(code, /^\/\/ {3}pulumi import --file hyperv-import\.json --generate-code=false$/m);
        assert.match(code, /^export const sql01BeforeCu142 = new hyperv\.Checkpoint\("sql01-before-cu-14-2", \{$/m);
        assert.match(code, /export const kiosk7 = new hyperv\.VmCheckpointPolicy\("kiosk-7", \{\n {4}vmName: "kiosk 7",\n {4}disabled: true,/);
        assert.match(code, /\}, \{ dependsOn: \[web01\], protect: true \}\);/);

        // The user's view: the package in node_modules, resolved through its exports.
        const project = fs.mkdtempSync(path.join(repoRoot, ".e2e-import-"));
        try {
            fs.mkdirSync(path.join(project, "node_modules"));
            fs.symlinkSync(repoRoot, path.join(project, "node_modules", "hyperv-checkpoints"), "dir");
            const file = path.join(project, "hyperv-adopted.ts");
            fs.writeFileSync(file, code);
            const program = ts.createProgram([file], {
                strict: true,
                noEmit: true,
                module: ts.ModuleKind.NodeNext,
                moduleResolution: ts.ModuleResolutionKind.NodeNext,
                target: ts.ScriptTarget.ES2023,
                skipLibCheck: true,
                types: [],
            });
            const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
            assert.deepEqual(problems, []);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("the file lists each resource with the fields of Pulumi's import file (type, name, id, inputs, outputs)", () => {
        const file = importFileOf(plan);
        assert.equal(file.resources.length, plan.resources.length);
        for (const r of file.resources) assert.deepEqual(Object.keys(r), ["type", "name", "id", "inputs", "outputs"]);
        assert.deepEqual(
            [...new Set(file.resources.map((r) => r.type))],
            ["pulumi-nodejs:dynamic/hyperv:VmCheckpointPolicy", "pulumi-nodejs:dynamic/hyperv:Checkpoint"],
        );
    });

    describe("the CLI, as a user runs it", () => {
        const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });

        it("writes both files, prints what it adopts and the command to run, and changes nothing on the host", () => {
            const before = fs.readFileSync(journalPath(lab), "utf8");
            const cwd = fs.mkdtempSync(path.join(dir, "cwd-"));
            const res = run(cwd, "--host", `lab:${lab}`, "--vm", "web01", "sql01", "--no-protect");
            assert.equal(res.status, 0, res.stderr);
            assert.match(res.stdout, /^Wrote 5 resource\(s\) to hyperv-import\.json and their declarations to hyperv-adopted\.ts:$/m);
            assert.match(res.stdout, /skipped: VM "sql01": checkpoint "Veeam restore point"/);
            assert.match(res.stdout, /^ {2}pulumi import --file hyperv-import\.json --generate-code=false --protect=false$/m);
            assert.equal(JSON.parse(fs.readFileSync(path.join(cwd, "hyperv-import.json"), "utf8")).resources.length, 5);
            assert.doesNotMatch(fs.readFileSync(path.join(cwd, "hyperv-adopted.ts"), "utf8"), /protect: true/);
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), before, "hyperv-import only reads the host");

            const again = run(cwd, "--host", `lab:${lab}`, "--vm", "web01");
            assert.equal(again.status, 1);
            assert.equal(again.stderr, "hyperv-import: hyperv-import.json exists: use --force to overwrite it, or another --file/--code\n");
            assert.equal(run(cwd, "--host", `lab:${lab}`, "--vm", "web01", "--force").status, 0);
        });

        it("fails with the host's reason for a VM it cannot find, and writes nothing", () => {
            const cwd = fs.mkdtempSync(path.join(dir, "cwd-"));
            const res = run(cwd, "--host", `lab:${lab}`, "--vm", "web01", "--vm", "nope");
            assert.equal(res.status, 1);
            assert.match(res.stderr, /^hyperv-import: .*nope.*\n$/);
            assert.deepEqual(fs.readdirSync(cwd), []);
        });

        it("refuses an address that is not a host", () => {
            const res = run(dir, "--host", "http://hv01", "--vm", "web01");
            assert.equal(res.status, 1);
            assert.match(res.stderr, /^hyperv-import: invalid --host: "http:\/\/hv01" is not a host address/);
        });
    });
});
