import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { opsByName, repoRoot, step, TestStack } from "./harness";

const program = path.join(repoRoot, "test", "e2e", "programs", "smoke");

describe("the Pulumi engine on this machine", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(600_000);
    let stack: TestStack;

    before(async () => {
        // Type-checked by ts-node here (other e2e tests only transpile): proves TypeScript 6 on Pulumi's ts-node path.
        stack = await TestStack.create({ program, config: { "smoke:message": { value: "first" } }, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" } });
    });
    after(async () => stack?.dispose());

    it("runs a Pulumi CLI of 3.270 or later (the one built from Go is v3.274.1)", () => {
        const version = execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
        const m = /^v3\.(\d+)\./.exec(version);
        assert.ok(m && Number(m[1]) >= 270, `pulumi version printed ${version}`);
    });

    // One lifecycle on one stack: each step needs what the previous one left (nothing, the resource,
    // the replaced resource), so the steps are one test and `--grep` of it runs them all.
    it("a dynamic resource's lifecycle: preview, create in the engine's provider process, no-op up, replace, refresh, destroy", async () => {
        await step("preview a TypeScript program with a dynamic resource without creating it", async () => {
            const res = await stack.preview();
            assert.deepEqual(opsByName(res), { echo: ["create"] });
            assert.equal((await stack.stack.exportStack()).deployment.resources, undefined);
        });

        await step("create the resource in a dynamic provider process started by the engine", async () => {
            const res = await stack.up();
            assert.deepEqual(opsByName(res), { echo: ["create"] });
            assert.equal(res.outputs.message, "first");
            const pid = res.outputs.providerPid;
            assert.equal(typeof pid, "number");
            assert.notEqual(pid, process.pid, "the provider ran in its own process");
            const registered = res.events.flatMap((e) => (e.resOutputsEvent ? [e.resOutputsEvent.metadata.type] : []));
            assert.ok(registered.includes("pulumi:providers:pulumi-nodejs"), "the engine registered the dynamic provider");
        });

        await step("report no changes on a second up", async () => {
            const res = await stack.up();
            assert.deepEqual(opsByName(res), { echo: ["same"] });
            assert.deepEqual(res.changes, []);
        });

        await step("replace the resource when its input changes", async () => {
            await stack.stack.setConfig("smoke:message", { value: "second" });
            const res = await stack.up();
            assert.deepEqual(
                res.changes.map((s) => s.op),
                ["create-replacement", "replace", "delete-replaced"],
            );
            assert.equal(res.outputs.message, "second");
        });

        await step("refresh without changes", async () => {
            const res = await stack.refresh();
            assert.ok(
                res.steps.some((s) => s.name === "echo"),
                "the refresh read the resource",
            );
            assert.deepEqual(
                res.changes.filter((s) => s.op !== "refresh"),
                [],
            );
        });

        await step("destroy the resource", async () => {
            const res = await stack.destroy();
            assert.deepEqual(opsByName(res), { echo: ["delete"] });
            const state = await stack.stack.exportStack();
            assert.equal((state.deployment.resources ?? []).length, 0);
        });
    });
});
