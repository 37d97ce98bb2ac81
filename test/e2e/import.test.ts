import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHECKPOINT_TYPE, POLICY_TYPE } from "../../provider/import/adoption";
import { serialisedProvider } from "../../provider/resources/shared/serialised-provider";
import { journalPath } from "../../provider/lab";
import { opsByName, repoRoot, step, TestStack } from "./harness";
import { labCli } from "./lab-cli";
import { freshLab, readLab, vmByName } from "./lab-fixture";

/*
 * Adoption through the engine: `hyperv-import` writes an import file whose resources carry their
 * inputs and outputs (Pulumi >= 3.254), each with the serialised provider, and the program's
 * declarations; `pulumi import --file` then adopts them, as a user runs it. Also what the engine
 * cannot do for dynamic resources: import by id alone, and generate the program's code.
 */

const program = path.join(repoRoot, "test", "e2e", "programs", "adopted");
const importCli = path.join(repoRoot, "dist", "provider", "import", "cli.js");

interface StateResource {
    urn: string;
    type: string;
    id?: string;
    protect?: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
    sourcePosition?: string;
    stackTrace?: { sourcePosition?: string }[];
}

async function stateOf(stack: TestStack): Promise<Record<string, StateResource>> {
    const resources = (JSON.parse(await stack.exportState()) as { deployment: { resources?: StateResource[] } }).deployment.resources ?? [];
    return Object.fromEntries(resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).map((r) => [r.urn.split("::").pop()!, r]));
}

/** The Pulumi CLI in the stack's folder, with the stack's backend and passphrase, as a user types it. */
function pulumi(stack: TestStack, ...args: string[]): { status: number | null; output: string } {
    const res = spawnSync("pulumi", [...args, "--stack", "test", "--non-interactive"], {
        cwd: stack.workDir,
        encoding: "utf8",
        env: { ...process.env, ...stack.stack.workspace.envVars },
    });
    return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

function hypervImport(stack: TestStack, ...args: string[]): string {
    const res = spawnSync(process.execPath, [importCli, ...args], { cwd: stack.workDir, encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
    return res.stdout;
}

/**
 * The package as `npm install` puts it in node_modules (a copy, not the harness's link), beside
 * the program's package.json: Pulumi then serialises the providers as a `require`, the form the
 * import file carries. (Without a package.json of its own, the program's project root is this
 * repository, and Pulumi serialises them by value.)
 */
function installPackage(workDir: string): void {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    fs.writeFileSync(
        path.join(workDir, "package.json"),
        JSON.stringify({ name: "adopted", private: true, dependencies: { "hyperv-checkpoints": pkg.version } }),
    );
    const target = path.join(workDir, "node_modules", "hyperv-checkpoints");
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(path.join(target, "dist"), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, "package.json"), path.join(target, "package.json"));
    for (const dir of ["sdk", "provider"]) fs.cpSync(path.join(repoRoot, "dist", dir), path.join(target, "dist", dir), { recursive: true });
}

const hostFile = (lab: string) => fs.readFileSync(journalPath(lab), "utf8");

describe("Adopting a host's policies and checkpoints with `pulumi import --file` (hyperv-import)", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(900_000);

    describe("with the package installed in node_modules", () => {
        let lab: string;
        let stack: TestStack;

        before(async () => {
            lab = await freshLab();
            stack = await TestStack.create({ program, config: { "hyperv:host": { value: `lab:${lab}` } } });
            installPackage(stack.workDir);
        });
        after(async () => {
            await stack?.dispose();
            fs.rmSync(lab, { recursive: true, force: true });
        });

        // One adoption on one stack: each step needs what the previous one left (the import file,
        // the adopted resources, the checkpoint taken, the repaired drift), so the steps are one test.
        it("adoption's lifecycle: hyperv-import, pulumi import --file, no-op up, a new checkpoint, drift repaired, destroy once unprotected", async () => {
            await step("hyperv-import writes the import file and the declarations, only reading the host", async () => {
                const before = hostFile(lab);
                const out = hypervImport(stack, "--host", `lab:${lab}`, "--vm", "web01", "dev01", "sql01");
                assert.match(out, /^Wrote 7 resource\(s\) to hyperv-import\.json and their declarations to hyperv-adopted\.ts:$/m);
                assert.match(out, /^ {2}pulumi import --file hyperv-import\.json --generate-code=false$/m);
                assert.equal(hostFile(lab), before);
            });

            await step("`pulumi import --file` adopts them as the file states them, with the serialised providers, touching nothing on the host", async () => {
                const before = hostFile(lab);
                const res = pulumi(stack, "import", "--file", "hyperv-import.json", "--generate-code=false", "--yes");
                assert.equal(res.status, 0, res.output);
                assert.match(res.output, /= 7 imported/);
                assert.equal(hostFile(lab), before, "the engine skips the provider's Read when the file gives the outputs");

                const file = JSON.parse(fs.readFileSync(path.join(stack.workDir, "hyperv-import.json"), "utf8")) as {
                    resources: { name: string; id: string; inputs: object; outputs: object }[];
                };
                const state = await stateOf(stack);
                assert.deepEqual(Object.keys(state).sort(), file.resources.map((r) => r.name).sort());
                for (const r of file.resources) {
                    const s = state[r.name]!;
                    if (s.type !== POLICY_TYPE) assert.equal(s.type, CHECKPOINT_TYPE);
                    const kind = s.type === POLICY_TYPE ? "policy" : "checkpoint";
                    assert.equal(s.id, r.id);
                    assert.deepEqual(s.inputs, r.inputs);
                    assert.deepEqual(s.outputs, r.outputs);
                    assert.equal(s.inputs!.__provider, serialisedProvider(kind));
                    assert.equal(s.protect, true, "pulumi import protects what it adopts; the declarations say so too");
                }
                assert.equal(state["dev01-experiment"]!.id, readLab(lab).checkpoints.find((c) => c.name === "Experiment")!.id);
            });

            await step("the declarations then change nothing: up, refresh, preview", async () => {
                const before = hostFile(lab);
                const up = await stack.up();
                assert.deepEqual(up.changes, [], up.stdout);
                assert.equal(Object.keys(opsByName(up)).length, 7);
                await stack.refresh();
                const preview = await stack.preview();
                assert.deepEqual(preview.changes, []);
                assert.equal(hostFile(lab), before);
            });

            await step("a checkpoint the program takes records exactly the serialised provider the file carries", async () => {
                await stack.stack.setConfig("e2e:checkpoints", { value: JSON.stringify({ fresh: { vmName: "sql01", name: "fresh" } }) });
                const res = await stack.up();
                assert.deepEqual(
                    res.changes.map((s) => [s.name, s.op]),
                    [["fresh", "create"]],
                );
                const fresh = (await stateOf(stack)).fresh!;
                assert.equal(fresh.inputs!.__provider, serialisedProvider("checkpoint"));
                assert.equal(fresh.outputs!.__provider, serialisedProvider("checkpoint"));
                // What the state records of where it was declared is the program's line, as for Pulumi's generated SDKs.
                assert.match(fresh.sourcePosition ?? "", /^project:\/\/\/index\.ts#\d+,\d+$/);
                assert.ok(!JSON.stringify(fresh.stackTrace).includes("hyperv-checkpoints"), JSON.stringify(fresh.stackTrace));
                assert.deepEqual(
                    Object.keys(fresh.propertyDependencies ?? {}).filter((k) => k.startsWith("__hvcp")),
                    [],
                    "up records none of preview's hidden inputs",
                );
            });

            await step("drift on an adopted VM is found by refresh and put back by up", async () => {
                labCli(lab, "vm", "set", "web01", "--checkpoint-type", "Standard");
                await stack.refresh();
                const res = await stack.up();
                assert.deepEqual(
                    res.changes.map((s) => [s.name, s.op]),
                    [["web01", "update"]],
                );
                assert.equal(vmByName(lab, "web01").checkpointType, "Production");
            });

            await step(
                "destroy is refused while they are protected; once the declarations drop protect, it merges the adopted checkpoints and leaves the settings as found",
                async () => {
                    await stack.stack.setConfig("e2e:checkpoints", { value: "{}" });
                    assert.deepEqual(
                        (await stack.up()).changes.map((s) => [s.name, s.op]),
                        [["fresh", "delete"]],
                    );
                    const before = hostFile(lab);
                    await assert.rejects(stack.destroy(), /cannot be deleted/);
                    assert.equal(hostFile(lab), before, "nothing is deleted while protected");
                    hypervImport(stack, "--host", `lab:${lab}`, "--vm", "web01", "dev01", "sql01", "--no-protect", "--force");
                    const up = await stack.up();
                    assert.deepEqual(up.changes, [], "only the protect flags change");
                    const settings = () =>
                        ["web01", "dev01", "sql01"].map((n) => {
                            const v = vmByName(lab, n);
                            return [v.checkpointType, v.checkpointFileLocation, v.automaticCheckpointsEnabled];
                        });
                    const found = settings();
                    await stack.destroy();
                    const ids = ["web01", "dev01", "sql01"].map((n) => vmByName(lab, n).id);
                    assert.deepEqual(
                        readLab(lab).checkpoints.filter((c) => ids.includes(c.vmId)),
                        [],
                    );
                    assert.deepEqual(settings(), found);
                },
            );
        });
    });

    describe("what the engine cannot do for dynamic resources", () => {
        let lab: string;
        let stack: TestStack;

        // Each test imports into a stack of its own: the second asserts the stack holds exactly
        // what it imported, which must not depend on what the first left.
        beforeEach(async () => {
            lab = await freshLab();
            // The harness links this checkout into node_modules: Pulumi serialises the providers by
            // value then, and the file's `require` form resolves through the link all the same.
            stack = await TestStack.create({ program, config: { "hyperv:host": { value: `lab:${lab}` } } });
        });
        afterEach(async () => {
            await stack?.dispose();
            fs.rmSync(lab, { recursive: true, force: true });
        });

        it("import by id alone fails: the engine's Read carries no state, so there is no serialised provider to run (pulumi/pulumi#3550, #16175)", async () => {
            const file = path.join(stack.workDir, "by-id.json");
            fs.writeFileSync(file, JSON.stringify({ resources: [{ type: POLICY_TYPE, name: "web01", id: vmByName(lab, "web01").id }] }));
            const res = pulumi(stack, "import", "--file", file, "--generate-code=false", "--yes");
            assert.notEqual(res.status, 0);
            assert.match(res.output, /error: Preview failed: code must be a string, not undefined/);
            assert.deepEqual(await stateOf(stack), {});
        });

        it("the engine cannot generate their code (no schema): without --generate-code=false the resources are stored, then pulumi import fails", async () => {
            hypervImport(stack, "--host", `lab:${lab}`, "--vm", "web01", "--no-checkpoints", "--no-protect");
            const res = pulumi(stack, "import", "--file", "hyperv-import.json", "--yes");
            assert.equal(res.status, 1, res.output);
            assert.match(res.output, /= 1 imported/);
            assert.match(
                res.output,
                /error: loading package 'pulumi-nodejs@nil': Error loading schema from plugin: rpc error: code = Unimplemented desc = GetSchema is not implemented by the dynamic provider/,
            );
            assert.deepEqual(Object.keys(await stateOf(stack)), ["web01"]);
            await stack.refresh();
            const up = await stack.up();
            assert.deepEqual(up.changes, []);
            assert.deepEqual(opsByName(up), { web01: ["same"] });
        });
    });
});
