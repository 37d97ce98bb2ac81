import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { journalPath, readLab, rewriteLab } from "../../provider/lab";
import { repoRoot, TestStack } from "./harness";
import { freshLab } from "./lab-fixture";

const program = path.join(repoRoot, "test", "e2e", "programs", "declared");
const packSource = path.join(repoRoot, "examples", "policy-pack");

/** One violation as the engine reported it: rule, resource name ("" for the stack), level, message. */
interface Violation {
    policy: string;
    resource: string;
    level: string;
    message: string;
}

/**
 * A copy of examples/policy-pack whose node_modules holds what `npm install` would give a user:
 * this package (the repository) and the packages a pack needs, linked from the repository's own.
 */
function installPack(): string {
    const base = path.join(repoRoot, ".e2e");
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, "policy-pack-"));
    fs.cpSync(packSource, dir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
    const modules = path.join(dir, "node_modules");
    const link = (name: string, target: string) => {
        fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
        fs.symlinkSync(target, path.join(modules, name), "dir");
    };
    link("hyperv-checkpoints", repoRoot);
    for (const name of ["@pulumi/policy", "@pulumi/pulumi", "@grpc/grpc-js", "google-protobuf", "@types/node", "typescript", "ts-node"]) {
        link(name, path.join(repoRoot, "node_modules", name));
    }
    return dir;
}

describe("the example policy pack through the Pulumi engine", function () {
    this.timeout(300_000);
    let lab: string;
    let pack: string;
    let packConfig: string;
    const stacks: TestStack[] = [];

    before(async () => {
        lab = await freshLab();
        pack = installPack();
        // Stack-level settings, as an operator would pass them: smaller limits to keep the scenario
        // small, the fallback check on, the age rule raised from advisory to mandatory, chains of one disk.
        packConfig = path.join(pack, "e2e-config.json");
        fs.writeFileSync(
            packConfig,
            JSON.stringify({
                "hyperv-server-roles-no-standard-checkpoints": { flagProductionWithFallback: true },
                "hyperv-max-checkpoints-per-vm": { maxPerVm: 2 },
                "hyperv-max-checkpoint-age": { enforcementLevel: "mandatory", maxAgeDays: 30 },
                "hyperv-max-chain-depth": { maxChainDepth: 1 },
            }),
        );
    });
    after(async () => {
        for (const s of stacks) await s.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
        fs.rmSync(pack, { recursive: true, force: true });
    });

    async function productionStack(): Promise<TestStack> {
        const stack = await TestStack.create({ program, config: { "hyperv:host": { value: `lab:${lab}` } } });
        stacks.push(stack);
        await stack.stack.setTag("environment", "production");
        return stack;
    }

    async function declare(stack: TestStack, policies: object, checkpoints: object): Promise<void> {
        await stack.stack.setAllConfig({
            "e2e:policies": { value: JSON.stringify(policies) },
            "e2e:checkpoints": { value: JSON.stringify(checkpoints) },
        });
    }

    /** Runs preview (or up) with the pack; the violations it reported, and whether the engine refused. */
    async function withPack(stack: TestStack, op: "preview" | "up"): Promise<{ violations: Violation[]; failed: boolean }> {
        const events: EngineEvent[] = [];
        const options = { onEvent: (e: EngineEvent) => events.push(e), policyPacks: [pack], policyPackConfigs: [packConfig] };
        let failed = false;
        try {
            await (op === "preview" ? stack.stack.preview(options) : stack.stack.up(options));
        } catch {
            failed = true;
        }
        const violations = events
            .flatMap((e) => (e.policyEvent ? [e.policyEvent] : []))
            .map((p) => ({
                policy: p.policyName,
                resource: p.resourceUrn?.split("::").pop() ?? "",
                level: p.enforcementLevel,
                message: p.message,
            }));
        return { violations, failed };
    }

    it("reports every rule's violation on a production stack, then blocks up without touching the host", async () => {
        // An old checkpoint the stack adopts: web01's "Before IIS update", taken long ago.
        let oldId = "";
        await rewriteLab(lab, (doc) => {
            const old = doc.checkpoints.find((c) => c.name === "Before IIS update")!;
            old.creationTime = "2020-01-01T00:00:00.000Z";
            oldId = old.id;
        });

        const stack = await productionStack();
        // A second checkpoint of web01, taken after the old one: its disk sits at depth 2 of the chain.
        const newer = { vmName: "web01", name: "After IIS update" };
        await declare(stack, {}, { old: { vmName: "web01", adoptId: oldId }, newer });
        await stack.up();

        await declare(
            stack,
            {
                sqlpol: { vmName: "sql01", type: "standard" },
                dcpol: { vmName: "dc01", type: "production", ensureBackupIntegration: true },
                webpol: { vmName: "web01", type: "production", fallbackToStandard: false, fileLocation: "E:\\Scratch\\web01" },
                reppol: { vmName: "reports", disabled: true },
            },
            {
                old: { vmName: "web01", adoptId: oldId },
                newer,
                rep1: { vmName: "reports", name: "Before patch" },
                "dev-a": { vmName: "dev01", name: "a" },
                "dev-b": { vmName: "dev01", name: "b" },
                "dev-c": { vmName: "dev01", name: "c" },
            },
        );
        const preview = await withPack(stack, "preview");
        assert.ok(preview.failed, "mandatory violations fail the preview");
        const found = (policy: string, resource: string) => preview.violations.filter((v) => v.policy === policy && v.resource === resource);
        const expect = (policy: string, resource: string, message: RegExp) => {
            const matches = found(policy, resource);
            assert.equal(matches.length, 1, `one ${policy} violation on ${resource}; got ${JSON.stringify(preview.violations, null, 1)}`);
            assert.match(matches[0]!.message, message);
        };
        expect("hyperv-server-roles-no-standard-checkpoints", "sqlpol", /VmCheckpointPolicy "sqlpol" sets standard checkpoints on server VM "sql01"/);
        expect("hyperv-server-roles-no-standard-checkpoints", "dcpol", /lets server VM "dc01" .*fall back .*Set fallbackToStandard: false/);
        expect(
            "hyperv-environment-checkpoint-types",
            "sqlpol",
            /type Standard, but environment "production" \(stack tag "environment"\) allows only ProductionOnly or Disabled/,
        );
        expect("hyperv-environment-checkpoint-types", "dcpol", /type Production, but environment "production"/);
        expect(
            "hyperv-checkpoint-file-location",
            "webpol",
            /E:\\Scratch\\web01, which is not under an allowed root \(C:\\ProgramData\\Microsoft\\Windows\\Hyper-V, D:\\Checkpoints\)/,
        );
        expect("hyperv-production-ensures-backup-integration", "webpol", /VM "web01" but does not ensure .*Set ensureBackupIntegration: true/);
        expect(
            "hyperv-max-checkpoints-per-vm",
            "dev-c",
            /VM "dev01" has 3 checkpoints declared in this stack \(dev-a, dev-b, dev-c\), more than the 2 allowed/,
        );
        expect(
            "hyperv-no-checkpoints-on-disabled-vms",
            "rep1",
            /Checkpoint "rep1" is declared for VM "reports", whose VmCheckpointPolicy "reppol" disables checkpoints/,
        );
        expect("hyperv-max-checkpoint-age", "old", /Checkpoint "old" of VM "web01" was taken 2020-01-01T00:00:00.000Z, \d+ days ago \(the limit is 30 days\)/);
        assert.equal(found("hyperv-max-checkpoint-age", "old")[0]!.level, "mandatory", "the pack config raised the age rule to mandatory");
        // Judged on the chainDepth output the provider reported for the checkpoint taken by the first up.
        expect("hyperv-max-chain-depth", "newer", /Checkpoint "newer" .*sits at depth 2 of VM "web01".*chain of differencing disks \(the limit is 1\)/);
        assert.equal(found("hyperv-production-ensures-backup-integration", "webpol")[0]!.level, "advisory", "advisory rules only warn");
        assert.equal(preview.violations.length, 10, JSON.stringify(preview.violations, null, 1));

        await declare(stack, { sqlpol: { vmName: "sql01", type: "standard" } }, { old: { vmName: "web01", adoptId: oldId } });
        const before = fs.readFileSync(journalPath(lab), "utf8");
        const up = await withPack(stack, "up");
        assert.ok(up.failed, "up fails on a mandatory violation");
        assert.ok(up.violations.some((v) => v.policy === "hyperv-server-roles-no-standard-checkpoints" && v.resource === "sqlpol"));
        assert.equal(fs.readFileSync(journalPath(lab), "utf8"), before, "the lab is unchanged");
        assert.equal(readLab(lab).vms.find((v) => v.name === "sql01")!.checkpointType, "ProductionOnly");
    });

    it("reports nothing on a production stack that follows every rule", async () => {
        const stack = await productionStack();
        await declare(
            stack,
            {
                sqlpol: {
                    vmName: "sql01",
                    type: "production",
                    fallbackToStandard: false,
                    ensureBackupIntegration: true,
                    fileLocation: "D:\\Checkpoints\\sql01",
                },
                dcpol: { vmName: "dc01", disabled: true },
            },
            {
                "sql-a": { vmName: "sql01", name: "Before patch" },
                "sql-b": { vmName: "sql01", name: "After patch" },
            },
        );
        const preview = await withPack(stack, "preview");
        assert.deepEqual(preview.violations, []);
        assert.equal(preview.failed, false);
    });
});
