import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { opsByName, step } from "../e2e/harness";
import { freshLab, readLab, vmByName } from "../e2e/lab-fixture";
import { ExampleStack, installExample } from "./installed-example";

const fleet = {
    web01: "server",
    sql01: "server",
    dc01: "domain-controller",
    dev01: "development",
    "legacy-erp": "standard-only",
    "linux-build": { role: "standard-only", ownFolder: true },
    reports: "no-checkpoints",
};

describe("examples/fleet: policies for many VMs from stack configuration", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(900_000);
    let lab: string;
    let stack: ExampleStack;
    let initial: ReturnType<typeof readLab>["vms"];
    const configure = (vms: unknown, checkpointRoot?: string) =>
        stack.stack.setAllConfig({
            "fleet:vms": { value: JSON.stringify(vms) },
            ...(checkpointRoot ? { "fleet:checkpointRoot": { value: checkpointRoot } } : {}),
        });
    before(async () => {
        const workDir = await installExample("fleet");
        lab = await freshLab();
        initial = readLab(lab).vms;
        stack = await ExampleStack.create(workDir, { "hyperv:host": { value: `lab:${lab}` } });
    });
    after(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    it("refuses a role it does not know, naming the key and the roles, before touching the host", async () => {
        // Compared with the lab as this test found it, not as the suite found it: the test holds
        // whichever order it runs in, alone or after the lifecycle.
        const before = readLab(lab).vms;
        await configure({ ...fleet, dc01: "domain-controler" });
        await assert.rejects(
            stack.up(),
            /invalid stack configuration fleet:vms \(dc01\).*roles are server, domain-controller, development, standard-only, no-checkpoints/s,
        );
        assert.deepEqual(readLab(lab).vms, before);
    });

    // One lifecycle on one installed example: the role change and destroy need the policies the
    // first up made, and installing the example again would cost minutes, so the steps are one test.
    it("gives every VM its role's policy, moves one VM to another role with one update, and puts every VM's settings back on destroy", async () => {
        await step("gives every VM its role's policy", async () => {
            await configure(fleet, "E:\\Checkpoints");
            const res = await stack.up();
            assert.deepEqual(Object.keys(opsByName(res)).sort(), Object.keys(fleet).sort());
            const type = (name: string) => vmByName(lab, name).checkpointType;
            assert.equal(type("web01"), "ProductionOnly");
            assert.equal(type("sql01"), "ProductionOnly");
            assert.equal(type("dc01"), "ProductionOnly");
            assert.equal(type("dev01"), "Standard");
            assert.equal(vmByName(lab, "dev01").automaticCheckpointsEnabled, true);
            assert.equal(type("legacy-erp"), "Standard");
            assert.equal(type("linux-build"), "Standard");
            assert.equal(vmByName(lab, "linux-build").checkpointFileLocation, "E:\\Checkpoints\\linux-build");
            assert.equal(type("reports"), "Disabled");
            for (const name of ["web01", "sql01", "dc01"]) assert.equal(vmByName(lab, name).automaticCheckpointsEnabled, false);
            assert.deepEqual(res.outputs.byRole, {
                server: ["web01", "sql01"],
                "domain-controller": ["dc01"],
                development: ["dev01"],
                "standard-only": ["legacy-erp", "linux-build"],
                "no-checkpoints": ["reports"],
            });
            assert.deepEqual(res.outputs.productionBlocked, []);
        });

        await step("moves one VM to another role with one update, and changes nothing else", async () => {
            await configure({ ...fleet, dev01: "no-checkpoints" }, "E:\\Checkpoints");
            const res = await stack.up();
            assert.deepEqual(
                res.changes.map((s) => [s.name, s.op]),
                [["dev01", "update"]],
            );
            assert.equal(vmByName(lab, "dev01").checkpointType, "Disabled");
        });

        await step("puts every VM's settings back on destroy", async () => {
            await stack.destroy();
            const settings = (vms: typeof initial) => vms.map((v) => [v.name, v.checkpointType, v.checkpointFileLocation, v.automaticCheckpointsEnabled]);
            assert.deepEqual(settings(readLab(lab).vms), settings(initial));
        });
    });
});
