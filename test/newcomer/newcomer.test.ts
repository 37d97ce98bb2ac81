import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { initLab, readLab } from "../../provider/lab";
import { step } from "../e2e/harness";
import { disposeClone, type FreshClone, freshClone } from "./fresh-clone";
import { commands, fences, firstShellBlock, section } from "./readme";
import { type CommandResult, ShellSession } from "./shell-session";

/*
 * The newcomer's first hour: a fresh clone, used exactly as README and each example's README say,
 * command by command as written, checking what the text says happens. README's blocks are read
 * from the clone, so the test follows README: a changed command is run as changed, and a claim the
 * commands no longer bear out fails here.
 */

/** A command that finished as the newcomer expects: the exit code, and no noise README does not mention. */
function assertRan(res: CommandResult, code = 0): void {
    const context = `\`${res.command}\` exited ${res.code}:\n${res.output.slice(-4000)}`;
    assert.equal(res.code, code, context);
    assert.doesNotMatch(res.output, /EBADENGINE/, `no engine warnings on the Node README asks for\n${context}`);
    assert.doesNotMatch(res.output, /Permission denied/, context);
    assert.doesNotMatch(res.output, /^\s+at .+\(.+:\d+:\d+\)$/m, `no stack trace\n${context}`);
    // A program that uses an output as a string (a key, a template) prints Pulumi's warning where the value belongs.
    assert.doesNotMatch(res.output, /Calling \[toString\] on an \[Output<T>\]/, `no output used as a string\n${context}`);
}

/** Runs `lines` in a new terminal at `cwd`; `expect` checks each command's result as it comes. */
async function follow(
    clone: FreshClone,
    cwd: string,
    lines: string[],
    expect: (res: CommandResult, index: number) => void = (res) => assertRan(res),
    env: Record<string, string> = clone.env,
): Promise<CommandResult[]> {
    const shell = new ShellSession(cwd, env);
    const results: CommandResult[] = [];
    for (const [i, line] of lines.entries()) {
        const res = await shell.run(line);
        results.push(res);
        expect(res, i);
    }
    return results;
}

function readme(clone: FreshClone, file = "README.md"): string {
    return fs.readFileSync(path.join(clone.root, file), "utf8");
}

function vm(lab: string, name: string) {
    const found = readLab(lab).vms.find((v) => v.name === name);
    assert.ok(found, `VM ${name} in ${lab}`);
    return found;
}

/**
 * "Use it in your own project": the four files README shows, written to an empty folder next to
 * the clone, and README's commands run there as written; then, in the same terminal, README's
 * Clusters section's cluster lab and its stack.
 */
async function ownProject(clone: FreshClone, packLine: string): Promise<void> {
    const text = section(readme(clone), "## Use it in your own project");
    const blocks = fences(text);
    const shellBlocks = blocks.filter((f) => f.lang === "sh");
    assert.equal(shellBlocks.length, 2, "one block in the clone, one in the new project");
    const files = blocks.filter((f) => f.file);
    assert.deepEqual(
        files.map((f) => f.file),
        ["package.json", "tsconfig.json", "Pulumi.yaml", "index.ts"],
    );
    const tsconfig = JSON.parse(files.find((f) => f.file === "tsconfig.json")!.body) as { compilerOptions: Record<string, unknown> };
    assert.equal(tsconfig.compilerOptions.module, "commonjs");
    const manifest = JSON.parse(files.find((f) => f.file === "package.json")!.body) as { dependencies: Record<string, string> };
    assert.match(manifest.dependencies["hyperv-checkpoints"]!, /^file:/, "from the tarball, never a registry");

    // The clone's block is `npm run pack:examples`, already run by the examples' walk-throughs:
    // each other line is run, and that one is not run a second time while examples install its tarball.
    await follow(
        clone,
        clone.root,
        commands(shellBlocks[0]!).filter((l) => l.replace(/\s+#.*$/, "") !== packLine),
    );
    const project = path.join(clone.work, "my-checkpoints");
    fs.mkdirSync(project);
    for (const f of files) fs.writeFileSync(path.join(project, f.file!), `${f.body}\n`);
    // One terminal for this project: README's Clusters section goes on in it (its exports hold).
    const shell = new ShellSession(project, clone.env);
    const typeAll = async (lines: string[]): Promise<CommandResult[]> => {
        const results: CommandResult[] = [];
        for (const line of lines) {
            const res = await shell.run(line);
            assertRan(res);
            results.push(res);
        }
        return results;
    };
    const upOf = (results: CommandResult[]) => results.find((r) => /^pulumi up\b/.test(r.command))!;
    const up = upOf(await typeAll(commands(shellBlocks[1]!)));
    assert.match(up.output, /\+ 2 created/);
    assert.match(up.output, /sql01CheckpointType: "ProductionOnly"/);
    assert.equal(vm(path.join(project, ".hyperv-lab"), "sql01").checkpointType, "ProductionOnly");

    // README's Clusters section: a cluster lab, a stack of its own in this project, the same program.
    const clusterBlock = fences(section(readme(clone), "## Clusters")).find((f) => f.lang === "sh");
    assert.ok(clusterBlock, "README's Clusters section has a block to type");
    const clusterLines = commands(clusterBlock);
    const labLine = clusterLines.find((l) => /^npx hyperv-lab .*init --cluster/.test(l));
    assert.ok(labLine, "the block makes a cluster lab");
    const onCluster = upOf(await typeAll(clusterLines));
    assert.match(onCluster.output, /\+ 2 created/);
    assert.match(onCluster.output, /sql01CheckpointType: "ProductionOnly"/);
    const clusterLab = path.join(project, /--lab (\S+)/.exec(labLine)![1]!);
    assert.equal(vm(clusterLab, "sql01").checkpointType, "ProductionOnly", "set on the cluster's sql01");

    // The tsconfig choices README names: each compiles the package's entry and its subpaths.
    fs.writeFileSync(
        path.join(project, "subpaths.ts"),
        [
            'import { checkpointGovernance } from "hyperv-checkpoints/governance";',
            'import { parseHostAddress } from "hyperv-checkpoints/provider";',
            'import { readLab } from "hyperv-checkpoints/lab";',
            "export const used = [checkpointGovernance, parseHostAddress, readLab];",
        ].join("\n"),
    );
    const variants: Record<string, Record<string, unknown>> = {
        commonjs: { module: "commonjs" },
        node10: { module: "commonjs", moduleResolution: "node10", ignoreDeprecations: "6.0" },
        node16: { module: "node16" },
        nodenext: { module: "nodenext" },
    };
    for (const [name, options] of Object.entries(variants)) {
        const config = { compilerOptions: { ...tsconfig.compilerOptions, ...options, noEmit: true }, files: ["index.ts", "subpaths.ts"] };
        fs.writeFileSync(path.join(project, `tsconfig.${name}.json`), JSON.stringify(config));
    }
    await follow(
        clone,
        project,
        Object.keys(variants).map((name) => `npx tsc -p tsconfig.${name}.json`),
    );
}

/**
 * README's YAML quickstart: an empty folder next to the clone, README's commands and its
 * Pulumi.yaml as shown, then README's import of a policy by id, whose generated YAML, pasted into
 * the program, makes `pulumi up` change nothing (as README says), and its import of what
 * hyperv-import lists.
 */
async function yamlQuickstart(clone: FreshClone): Promise<void> {
    const text = section(readme(clone), "## Pulumi YAML and other languages (the native plugin)");
    const blocks = fences(text);
    const shellBlocks = blocks.filter((f) => f.lang === "sh");
    assert.equal(shellBlocks.length, 3, "install, run, import");
    const files = blocks.filter((f) => f.file);
    assert.deepEqual(
        files.map((f) => f.file),
        ["Pulumi.yaml"],
    );
    const project = path.join(clone.work, "my-yaml-checkpoints");
    fs.mkdirSync(project);
    const shell = new ShellSession(project, clone.env);
    const type = async (line: string): Promise<CommandResult> => {
        const res = await shell.run(line);
        assertRan(res);
        return res;
    };
    for (const line of commands(shellBlocks[0]!)) await type(line);
    const program = path.join(project, "Pulumi.yaml");
    fs.writeFileSync(program, `${files[0]!.body}\n`);
    let up: CommandResult | undefined;
    for (const line of commands(shellBlocks[1]!)) {
        const res = await type(line);
        if (/^pulumi up\b/.test(line)) up = res;
    }
    assert.ok(up, "README's YAML quickstart runs `pulumi up`");
    assert.match(up.output, /\+ 3 created/);
    assert.match(up.output, /checkpointKind: "production"/);
    assert.equal(vm(path.join(project, ".hyperv-lab"), "web01").checkpointType, "Production");

    // README's import of a policy by its VM's name, in the same terminal, after that quickstart.
    const importLine = commands(shellBlocks[2]!).find((l) => /^pulumi import hyperv:index:VmCheckpointPolicy /.test(l));
    assert.ok(importLine, "README imports a policy by id");
    const [, , , name, id] = importLine.replace(/\s+#.*$/, "").split(/\s+/);
    const imported = await type(importLine);
    assert.match(imported.output, /= 1 imported/);
    const declaration = new RegExp(`^resources:\\n(  ${name}:\\n    type: hyperv:(?:index:)?VmCheckpointPolicy\\n(?:    .*\\n)*)`, "m").exec(imported.output);
    assert.ok(declaration, `the generated YAML declares ${name}:\n${imported.output}`);
    assert.match(declaration[1]!, new RegExp(`\\n      vmName: ${id}\\n`));
    // Pasted into the program's resources, `pulumi up` changes nothing.
    fs.writeFileSync(program, fs.readFileSync(program, "utf8").replace(/^outputs:/m, `${declaration[1]}outputs:`));
    const again = await type("pulumi up");
    assert.match(again.output, /4 unchanged/);
    assert.doesNotMatch(again.output, /[+~-] \d+ (created|updated|deleted|replaced)/);

    // README's last two lines: hyperv-import lists the VMs' policies and checkpoints, and
    // `pulumi import --file` adopts them all and writes their YAML to the file named.
    const [adopt, fromFile] = commands(shellBlocks[2]!).slice(-2);
    assert.match(adopt!, /^npx hyperv-import .*--native/);
    assert.match(fromFile!, /^pulumi import --file hyperv-import\.json --out (\S+)/);
    await type(adopt!);
    const adopted = await type(fromFile!);
    assert.match(adopted.output, /= \d+ imported/);
    const out = fs.readFileSync(path.join(project, /--out (\S+)/.exec(fromFile!)![1]!), "utf8");
    for (const vmName of adopt!.match(/--vm (\S+)/g)!.map((v) => v.slice(5))) {
        assert.match(out, new RegExp(`type: hyperv:(?:index:)?VmCheckpointPolicy\\n    properties:\\n(?:      .*\\n)*      vmName: ${vmName}\\n`), out);
    }
}

describe("a newcomer following README on a fresh clone", function () {
    // A clone, two demo runs and destroy, seven examples, a project of one's own (with README's
    // cluster lab) and README's YAML quickstart: engine runs and npm installs (side by side), about
    // ten minutes.
    this.timeout(1_800_000);
    let clone: FreshClone;
    before(async () => {
        clone = await freshClone();
    });
    after(() => {
        if (clone) disposeClone(clone);
    });

    it("README's set-up, quickstart, examples and own-project steps work as written and do what README says", async () => {
        await step("README asks for the Node.js the package's engines name, and the terminal has one", async () => {
            const engines = (JSON.parse(readme(clone, "package.json")) as { engines: { node: string } }).engines.node;
            assert.equal(engines, ">=22.12");
            assert.match(section(readme(clone), "## Set up"), /Node\.js 22\.12 or later/);
            const [res] = await follow(clone, clone.root, ["node --version"]);
            const [major, minor] = res!.output.trim().replace(/^v/, "").split(".").map(Number);
            assert.ok(major! > 22 || (major === 22 && minor! >= 12), res!.output);
        });

        await step("the quickstart, as written: the hand change is repaired and named, and the lab CLI works after every rebuild", async () => {
            const lines = commands(fences(section(readme(clone), "## Quickstart"))[0]!);
            assert.deepEqual(
                lines.map((l) => l.replace(/\s+#.*$/, "")),
                [
                    "npm ci",
                    "npm start",
                    "npx hyperv-lab show",
                    "npx hyperv-lab vm set sql01 --checkpoint-type Standard",
                    "npm start",
                    "npx hyperv-lab show",
                    "npm run demo:destroy",
                ],
            );
            const lab = path.join(clone.root, ".hyperv-lab");
            const settings = (folder: string) =>
                readLab(folder).vms.map((v) => [v.name, v.checkpointType, v.checkpointFileLocation, v.automaticCheckpointsEnabled]);
            const sample = path.join(clone.work, "sample-lab");
            await initLab(sample, { sample: true });
            const checkRun = (res: CommandResult, i: number) => {
                assertRan(res);
                if (i === 0) {
                    assert.match(res.output, /Creating a sample Hyper-V host/);
                    assert.match(res.output, /\+ 7 created/);
                    assert.match(res.output, /What this run changed on the host:/);
                    assert.match(res.output, /reports: checkpoint type Production -> Disabled/);
                    assert.match(
                        res.output,
                        /linux-build: checkpoint file location C:\\ProgramData\\Microsoft\\Windows\\Hyper-V -> E:\\Checkpoints\\linux-build/,
                    );
                    assert.match(res.output, /web01: checkpoint "Before IIS upgrade" taken/);
                    // "The host after": the VM table and the checkpoint trees.
                    assert.match(res.output, /== The host after/);
                    assert.match(res.output, /│ reports\s+│.*│ Disabled\s+│/);
                    assert.match(res.output, /Before IIS upgrade \[SnapshotType Standard, disk only\]/);
                    assert.equal(vm(lab, "linux-build").checkpointFileLocation, "E:\\Checkpoints\\linux-build");
                    assert.ok(readLab(lab).checkpoints.some((c) => c.name === "Before IIS upgrade"));
                }
                if (i === 2) assert.equal(vm(lab, "sql01").checkpointType, "Standard", "the hand change reached the host");
                if (i === 3) {
                    assert.doesNotMatch(res.output, /Creating a sample Hyper-V host/);
                    assert.match(res.output, /~ 1 updated/);
                    assert.match(res.output, /Drift repaired: [^\n]*\n {2}sql01: checkpoint type Standard -> ProductionOnly\n/);
                    assert.equal(vm(lab, "sql01").checkpointType, "ProductionOnly", "the next npm start puts it back");
                }
                if (i === 4) assert.match(res.output, /│ sql01\s+│[^\n]*│ ProductionOnly\s+│/);
                if (i === 5) {
                    assert.match(res.output, /- 7 deleted/);
                    assert.deepEqual(settings(lab), settings(sample), "every VM has the sample host's settings back");
                    assert.equal(
                        readLab(lab).checkpoints.find((c) => c.name === "Before IIS upgrade"),
                        undefined,
                    );
                }
            };
            // `npm ci` is the one line not run: node_modules was copied in its place (see fresh-clone.ts).
            const results = await follow(clone, clone.root, lines.slice(1, 5), checkRun);
            // README's "A run with nothing to do": what `npm start` runs after its build, once more
            // before the block goes on (the build is the one `npm start` just did).
            await follow(clone, clone.root, ["bash scripts/demo.sh up"], (res) => {
                assertRan(res);
                assert.match(res.output, /Resources:\s+7 unchanged/);
                assert.match(res.output, /Nothing changed on the host/);
                assert.doesNotMatch(res.output, /Creating a sample Hyper-V host|\b(created|updated|deleted|replaced)\b/);
            });
            results.push(...(await follow(clone, clone.root, lines.slice(5), (res, i) => checkRun(res, i + 4))));
            assert.equal(results.length, 6);
            // The lab's commands, documented in README's simulated-host section, after those builds.
            const labCommands = commands(fences(section(readme(clone), "## The simulated host (`hyperv-lab`)"))[0]!);
            assert.ok(labCommands.some((l) => l.startsWith("npx hyperv-lab --help")));
            await follow(clone, clone.root, ["npx hyperv-lab --help", "npx hyperv-import --help"]);
        });

        await step("each example's walk-through, and a project of one's own (README's own-project section), as written", async () => {
            const example = (name: string) => firstShellBlock(readme(clone, `examples/${name}/README.md`));
            const packLine = "npm run pack:examples";
            for (const name of ["quickstart", "fleet", "adopt", "pipeline", "policy-pack", "yaml-quickstart", "cluster"]) {
                assert.equal(example(name)[0]!.replace(/\s+#.*$/, ""), packLine, `examples/${name} starts by packing the package`);
            }
            // Each walk-through starts with the same `npm run pack:examples` at the root: it is run
            // once, as written; the rest of each walk-through runs in a terminal of its own.
            await follow(clone, clone.root, [example("quickstart")[0]!]);
            // The package as packed from the fresh clone (its prepack builds it) ships the compiled code.
            const tarball = path.join(clone.root, ".pack", "hyperv-checkpoints.tgz");
            const packed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" });
            for (const file of ["dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/provider/index.js", "dist/provider/lab/cli/main.js"]) {
                assert.ok(packed.split("\n").includes(`package/${file}`), `${file} is packed:\n${packed}`);
            }
            const rest = (name: string) => example(name).slice(1);
            const upOf = (results: CommandResult[]) => results.find((r) => /^pulumi up\b/.test(r.command))!;

            // The walk-throughs are independent (each has its own sample host and stack) except the
            // policy pack's, which checks the quickstart example's stack: they run side by side.
            const quickstartThenPolicyPack = async () => {
                const quickstart = await follow(clone, clone.root, rest("quickstart"));
                assert.match(upOf(quickstart).output, /\+ 7 created/);
                await follow(clone, clone.root, rest("policy-pack"), (res) => {
                    if (!res.command.startsWith("pulumi preview")) return assertRan(res);
                    // The README says the preview fails on the file-location rule, naming linux-build.
                    assert.notEqual(res.code, 0, res.output);
                    assert.match(res.output, /hyperv-checkpoint-file-location/);
                    assert.match(res.output, /linux-build/);
                    assert.doesNotMatch(res.output, /EBADENGINE|E404/);
                });
            };
            const fleet = async () => {
                const results = await follow(clone, clone.root, rest("fleet"));
                assert.match(upOf(results).output, /\+ 7 created/);
            };
            const adopt = async () => {
                // `<checkpoint id>` is the id `show` printed for web01's "Before IIS update".
                const adoptLab = path.join(clone.root, "examples", "adopt", ".hyperv-lab");
                let shown = "";
                let hostBefore: ReturnType<typeof readLab> | undefined;
                const shell = new ShellSession(clone.root, clone.env);
                for (const line of rest("adopt")) {
                    const command = line.replace("<checkpoint id>", () => {
                        const id = /Before IIS update \[[^\]]*\] \S+ ([0-9a-f-]{36})/.exec(shown)?.[1];
                        assert.ok(id, `show printed the checkpoint's id:\n${shown}`);
                        return id;
                    });
                    if (/^pulumi up\b/.test(command)) hostBefore = readLab(adoptLab);
                    const res = await shell.run(command);
                    assertRan(res);
                    if (/hyperv-lab .*show web01/.test(command)) shown = res.output;
                    if (/^pulumi up\b/.test(command)) {
                        assert.match(res.output, /\+ 4 created/);
                        const after = readLab(adoptLab);
                        assert.deepEqual(after.vms, hostBefore!.vms, "nothing changed on the host");
                        assert.deepEqual(after.checkpoints, hostBefore!.checkpoints, "nothing changed on the host");
                    }
                }
            };
            const pipeline = async () => {
                // The pipeline logs in nowhere: without $PULUMI_BACKEND_URL its state is a folder of its own.
                const { PULUMI_BACKEND_URL: _, ...noBackend } = clone.env;
                const results = await follow(
                    clone,
                    clone.root,
                    rest("pipeline"),
                    (res) => {
                        const failing = res.command.includes("--fail");
                        assertRan(res, failing ? 1 : 0);
                        if (res.command.includes("pipeline.ts")) {
                            assert.match(res.output, failing ? /ROLLED BACK: change patch-43 failed/ : /SUCCESS: change patch-42 applied and verified/);
                        }
                    },
                    noBackend,
                );
                assert.ok(fs.existsSync(path.join(clone.root, "examples", "pipeline", ".pulumi-state")), "the default state folder is made");
                assert.equal(results.length, rest("pipeline").length);
            };
            const yamlExample = async () => {
                const results = await follow(clone, clone.root, rest("yaml-quickstart"));
                const up = upOf(results).output;
                assert.match(up, /\+ 7 created/);
                assert.match(up, /sql01CheckpointType\s*: "ProductionOnly"/);
                assert.match(up, /kind\s*: "production"/);
            };
            const cluster = async () => {
                const commandsOf = rest("cluster");
                const ups = commandsOf.filter((l) => /^pulumi up\b/.test(l)).length;
                assert.equal(ups, 3, "the walk-through's three ups: create, after the migrations, after the failover");
                let upsSeen = 0;
                const shell = new ShellSession(clone.root, clone.env);
                for (const line of commandsOf) {
                    const res = await shell.run(line);
                    assertRan(res);
                    if (/^pulumi up\b/.test(line)) {
                        upsSeen++;
                        assert.match(res.output, upsSeen === 1 ? /\+ 7 created/ : /Resources:\s+7 unchanged/, line);
                        if (upsSeen === 1) assert.match(res.output, /sql01\s*: "Before cluster patching"/);
                    }
                    if (/hyperv-lab .*\bshow$/.test(line)) {
                        // Grouped by owner: node3 stopped, its clustered VMs on the others, web01 where it was migrated to.
                        assert.match(res.output, /node3 \[Down\]: 0 VM\(s\)/);
                        assert.match(res.output, /node2 \[Up\]: \d VM\(s\)\r?\n(?:.+\n)*?.*│ web01 /);
                    }
                }
                // The README's last paragraph: a checkpoint root on a node's own disk fails preview, saying why.
                await shell.run("pulumi config set cluster:checkpointRoot 'D:\\Checkpoints'");
                const preview = await shell.run("pulumi preview");
                assert.notEqual(preview.code, 0, preview.output);
                assert.doesNotMatch(preview.output, /^\s+at .+\(.+:\d+:\d+\)$/m, "no stack trace");
                assert.match(preview.output, /is clustered on HV-CLUSTER: its checkpoints would be lost/);
                assert.match(preview.output, /allowLocalFileLocation/);
            };
            await Promise.all([
                quickstartThenPolicyPack(),
                fleet(),
                adopt(),
                pipeline(),
                ownProject(clone, packLine),
                yamlQuickstart(clone),
                yamlExample(),
                cluster(),
            ]);

            const untracked = await follow(clone, clone.root, ["git status --porcelain --untracked-files=all"]);
            assert.equal(untracked[0]!.output.trim(), "", "following the examples leaves nothing for git to see");
        });
    });
});
