import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { journalPath } from "../../provider/lab";
import { opsByName, repoRoot, step, TestStack } from "./harness";
import { labCli } from "./lab-cli";
import { freshLab, vmByName } from "./lab-fixture";

const program = path.join(repoRoot, "test", "e2e", "programs", "declared");

describe("VmCheckpointPolicy through the Pulumi engine", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(900_000);
    let lab: string;
    let stack: TestStack;
    const policies = (value: unknown) => stack.stack.setConfig("e2e:policies", { value: JSON.stringify(value) });

    before(async () => {
        lab = await freshLab();
        stack = await TestStack.create({ program, config: { "hyperv:host": { value: `lab:${lab}` } } });
        await policies({
            web: { vmName: "web01", type: "production", fallbackToStandard: false, automaticCheckpoints: false },
            reports: { vmName: "reports", type: "production", ensureBackupIntegration: true },
        });
    });
    after(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    // One lifecycle on one stack: each step needs the policies the previous ones left (drift on
    // what up applied, a replacement of what was adopted, destroy of all), so the steps are one test.
    it("policies' lifecycle: preview, up, no-op up, drift repaired, adoption, replacement, destroy", async () => {
        await step("previews the planned policies without touching the host", async () => {
            const before = fs.readFileSync(journalPath(lab), "utf8");
            const res = await stack.preview();
            assert.deepEqual(opsByName(res), { web: ["create"], reports: ["create"] });
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), before);
        });

        await step("applies them on up", async () => {
            const res = await stack.up();
            assert.deepEqual(opsByName(res), { web: ["create"], reports: ["create"] });
            assert.equal(vmByName(lab, "web01").checkpointType, "ProductionOnly");
            const reports = vmByName(lab, "reports");
            assert.ok(reports.integrationServices.some((s) => s.id.toUpperCase().endsWith("5CED1297-4598-4915-A5FC-AD21BB4D02A4") && s.enabled));
            const outputs = res.outputs.policyOutputs as Record<
                string,
                { checkpointType: string; productionCheckpointPossible: boolean; productionBlockedBy: string | null; priorSettings: { checkpointType: string } }
            >;
            assert.equal(outputs.web!.checkpointType, "ProductionOnly");
            assert.equal(outputs.web!.priorSettings.checkpointType, "Production");
            // reports is Saved: production is possible only once it runs.
            assert.equal(outputs.reports!.productionCheckpointPossible, false);
            assert.match(outputs.reports!.productionBlockedBy ?? "", /Saved/);
        });

        await step("reports no changes on a second up", async () => {
            const res = await stack.up();
            assert.deepEqual(res.changes, []);
        });

        await step("shows an out-of-band change as drift on refresh, and repairs it on the next up", async () => {
            labCli(lab, "vm", "set", "web01", "--checkpoint-type", "Standard");
            await stack.refresh();
            const preview = await stack.preview();
            assert.deepEqual(opsByName(preview).web, ["update"]);
            const res = await stack.up();
            assert.deepEqual(opsByName(res).web, ["update"]);
            assert.equal(vmByName(lab, "web01").checkpointType, "ProductionOnly");
        });

        await step("adopts a VM whose settings already match without writing to the host", async () => {
            await policies({
                web: { vmName: "web01", type: "production", fallbackToStandard: false, automaticCheckpoints: false },
                reports: { vmName: "reports", type: "production", ensureBackupIntegration: true },
                dev: { vmName: "dev01", type: "standard", automaticCheckpoints: true },
            });
            const before = fs.readFileSync(journalPath(lab), "utf8");
            const res = await stack.up();
            assert.deepEqual(opsByName(res).dev, ["create"]);
            assert.equal(fs.readFileSync(journalPath(lab), "utf8"), before, "the lab document was not rewritten");
        });

        await step("replaces the policy when it names another VM, restoring the first VM", async () => {
            await policies({
                web: { vmName: "sql01", type: "production", fallbackToStandard: false, automaticCheckpoints: false },
                reports: { vmName: "reports", type: "production", ensureBackupIntegration: true },
                dev: { vmName: "dev01", type: "standard", automaticCheckpoints: true },
            });
            const res = await stack.up();
            assert.deepEqual(opsByName(res).web, ["create-replacement", "replace", "delete-replaced"]);
            assert.equal(vmByName(lab, "web01").checkpointType, "Production", "web01 got its prior settings back");
        });

        await step("puts back the prior settings on destroy", async () => {
            labCli(lab, "vm", "set", "dev01", "--checkpoint-type", "Production");
            await stack.destroy();
            assert.equal(vmByName(lab, "sql01").checkpointType, "ProductionOnly");
            assert.equal(vmByName(lab, "web01").checkpointType, "Production");
            assert.equal(vmByName(lab, "reports").checkpointType, "Production");
            assert.equal(vmByName(lab, "dev01").checkpointType, "Standard", "dev01's type found at takeover was Standard");
        });
    });
});
