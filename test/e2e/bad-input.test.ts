import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { journalPath } from "../../provider/lab";
import { repoRoot, TestStack, failureOf } from "./harness";
import { freshLab } from "./lab-fixture";

const program = path.join(repoRoot, "test", "e2e", "programs", "declared");

describe("bad input through the Pulumi engine", function () {
    this.timeout(240_000);
    let lab: string;
    const stacks: TestStack[] = [];
    before(async () => {
        lab = await freshLab();
    });
    after(async () => {
        for (const s of stacks) await s.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    it("shows a check failure in preview, naming the field and the fix, and changes nothing", async () => {
        const stack = await TestStack.create({
            program,
            config: {
                "hyperv:host": { value: `lab:${lab}` },
                "e2e:policies": { value: JSON.stringify({ web: { vmName: "web01", type: "standard", fallbackToStandard: false } }) },
            },
        });
        stacks.push(stack);
        const before = fs.readFileSync(journalPath(lab), "utf8");
        const message = await failureOf(() => stack.up());
        assert.match(
            message,
            /property fallbackToStandard value \{false\} has a problem: fallbackToStandard applies to production checkpoints only: set type: "production", or remove fallbackToStandard/,
        );
        await stack.stack.setAllConfig({
            "e2e:policies": { value: "{}" },
            "e2e:checkpoints": { value: JSON.stringify({ bad: { vmName: "web01", name: "x".repeat(101) } }) },
        });
        const previewMessage = await failureOf(() => stack.preview());
        assert.match(previewMessage, /property name value .* has a problem: name is 101 characters; Hyper-V allows at most 100: shorten it/);
        assert.equal(fs.readFileSync(journalPath(lab), "utf8"), before);
    });

    it("refuses a stack without a configured host, saying how to configure one", async () => {
        const stack = await TestStack.create({
            program,
            config: { "e2e:policies": { value: JSON.stringify({ web: { vmName: "web01", type: "standard" } }) } },
        });
        stacks.push(stack);
        const message = await failureOf(() => stack.up());
        assert.match(message, /no Hyper-V host is configured for this stack: set it with `pulumi config set hyperv:host/);
    });

    it("reports a host refusal as one line naming the host, the VM, what failed and what to do", async () => {
        const stack = await TestStack.create({
            program,
            config: {
                "hyperv:host": { value: `lab:${lab}` },
                "e2e:policies": { value: JSON.stringify({ legacy: { vmName: "legacy-erp", type: "production", fallbackToStandard: false } }) },
            },
        });
        stacks.push(stack);
        const message = await failureOf(() => stack.up());
        assert.match(
            message,
            /apply checkpoint settings failed on host lab .*, VM "legacy-erp" \([0-9a-f-]{36}\): production-only checkpoints can never succeed on this VM: configuration version 5\.0 is below 6\.2.*Set fallbackToStandard: true/,
        );
    });
});
