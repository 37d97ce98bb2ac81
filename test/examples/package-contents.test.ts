import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../e2e/harness";
import { fences } from "../newcomer/readme";
import { exampleNames, examplesDir, packOnce } from "./installed-example";

// js-yaml comes with @pulumi/pulumi and has no type declarations installed: type the one call used.
const { load } = require("js-yaml") as { load(text: string): unknown };

describe("what npm pack ships", function () {
    this.timeout(120_000);
    let files: string[];
    before(async () => {
        files = (await packOnce()).files;
    });

    it("ships the compiled SDK and provider with their type declarations, the lab CLI, README and LICENSE", () => {
        for (const f of [
            "package.json",
            "README.md",
            "LICENSE",
            "dist/sdk/index.js",
            "dist/sdk/index.d.ts",
            "dist/provider/index.js",
            "dist/provider/index.d.ts",
            "dist/provider/lab/index.js",
            "dist/provider/lab/index.d.ts",
            "dist/provider/lab/cli/main.js",
            // The native plugin: what a Pulumi YAML program's plugins.providers[].path names, and the schema it serves.
            "bin/pulumi-resource-hyperv",
            "dist/provider/native/main.js",
            "dist/provider/native/schema.json",
        ])
            assert.ok(files.includes(f), `${f} is shipped`);
        for (const js of files.filter((f) => f.endsWith(".js") && !f.endsWith("/cli/main.js") && !f.includes("/cli/"))) {
            assert.ok(files.includes(js.replace(/\.js$/, ".d.ts")), `${js} has its type declarations`);
        }
    });

    it("ships nothing else: no tests, no TypeScript sources, no lab folders, no e2e work folders, no examples", () => {
        const allowed =
            /^(package\.json|README\.md|LICENSE|dist\/(sdk|provider)\/.+\.(js|d\.ts)|dist\/provider\/native\/schema\.json|bin\/pulumi-resource-hyperv)$/;
        assert.deepEqual(
            files.filter((f) => !allowed.test(f)),
            [],
        );
        assert.deepEqual(
            files.filter((f) => /(^|\/)(test|\.e2e|\.hyperv-lab|\.pulumi-state|examples|volumes)(\/|$)|\.test\.|host\.json$/.test(f)),
            [],
        );
    });

    it("the exports the examples and the serialised providers import exist in the package", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
            exports: Record<string, { types?: string; default: string } | string>;
        };
        for (const [entry, target] of Object.entries(manifest.exports)) {
            const targets = typeof target === "string" ? [target] : [target.default, ...(target.types ? [target.types] : [])];
            for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, "")), `export ${entry} -> ${t} is shipped`);
        }
    });
});

describe("the examples as a user's programs", () => {
    const examples = [...exampleNames];

    it("each depends on hyperv-checkpoints through the packed tarball and never imports the repository's sources", () => {
        assert.deepEqual(examples.sort(), ["adopt", "cluster", "fleet", "pipeline", "quickstart", "yaml-quickstart"]);
        for (const name of examples) {
            const dir = path.join(examplesDir, name);
            const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
            assert.equal(manifest.dependencies["hyperv-checkpoints"], "file:../../.pack/hyperv-checkpoints.tgz", `examples/${name}`);
            for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
                const text = fs.readFileSync(path.join(dir, file), "utf8");
                assert.doesNotMatch(text, /from "\.\.\/|require\("\.\.\//, `examples/${name}/${file} imports by package name only`);
            }
            assert.ok(fs.existsSync(path.join(dir, "README.md")), `examples/${name} has a README`);
        }
    });

    it("no example, benchmark program or README template resolves hyperv-checkpoints from a registry", () => {
        // The name is unclaimed on the public registry: a version range there would install
        // whatever its claimant publishes, inside programs that hold infrastructure credentials.
        const { stdout } = spawnSync("git", ["ls-files", "*package.json", "*.md"], { cwd: repoRoot, encoding: "utf8" });
        const tracked = stdout.split("\n").filter(Boolean);
        const manifests: [string, string][] = tracked
            .filter((f) => f.endsWith("package.json") && f !== "package.json")
            .map((f) => [f, fs.readFileSync(path.join(repoRoot, f), "utf8")]);
        for (const doc of tracked.filter((f) => f.endsWith(".md"))) {
            for (const block of fences(fs.readFileSync(path.join(repoRoot, doc), "utf8"))) {
                if (block.lang === "json" && block.body.includes('"dependencies"')) manifests.push([`${doc} (${block.file ?? "json block"})`, block.body]);
            }
        }
        assert.ok(manifests.some(([f]) => f === "examples/policy-pack/package.json"));
        assert.ok(
            manifests.some(([f]) => f.startsWith("README.md")),
            "README's own-project package.json is checked",
        );
        for (const [where, text] of manifests) {
            const manifest = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
            for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
                const spec = manifest[field]?.["hyperv-checkpoints"];
                if (spec !== undefined) assert.match(spec, /^file:.+\.tgz$/, `${where}: ${field} hyperv-checkpoints "${spec}" must be the local tarball`);
            }
        }
    });

    it("the pipeline's CI workflow for a Windows runner is valid YAML with the step it documents", () => {
        const workflow = load(fs.readFileSync(path.join(examplesDir, "pipeline", "ci", "github-actions.yml"), "utf8")) as {
            on: Record<string, unknown>;
            jobs: Record<string, { "runs-on": string; env: Record<string, string>; steps: { run?: string; uses?: string }[] }>;
        };
        const job = workflow.jobs.change!;
        assert.equal(job["runs-on"], "windows-latest");
        assert.match(job.env.HYPERV_HOST!, /^ssh:\/\//);
        assert.ok(workflow.on.workflow_dispatch);
        assert.ok(job.steps.some((s) => s.run?.includes("npx ts-node pipeline.ts --vms")));
        assert.ok(
            job.steps.every((s) => !s.run?.includes("${{")),
            "inputs reach scripts through env, never spliced into them",
        );
    });
});
