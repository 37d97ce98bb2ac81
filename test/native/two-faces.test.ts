import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkpointResultShape } from "../../provider/resources/checkpoint/schema";
import { policyResultShape } from "../../provider/resources/policy/schema";
import { failureOf, opsByName, type OperationResult, step, TestStack } from "../e2e/harness";
import { labCli } from "../e2e/lab-cli";
import { declaredProgram, freshLab, readLab } from "../e2e/lab-fixture";
import { settingsOf } from "../examples/quickstart-expectations";
import { yamlProgram, type Declared } from "./yaml-program";
import { requireYamlLanguageHost } from "./yaml-tool";

/*
 * One behaviour, two faces: the same story through the dynamic provider (the TypeScript program
 * test/e2e/programs/declared) and through the native plugin (the same declaration in YAML), each
 * on a fresh sample lab. What a user sees must be the same: the host afterwards, the resources'
 * outputs, the refusal of bad input, the drift repair, the destroy.
 */

interface Face {
    stack: TestStack;
    lab: string;
    declare(d: Declared): Promise<void>;
}

const story: Declared = {
    policies: { web01: { vmName: "web01", type: "production" }, dev01: { vmName: "dev01", type: "standard" } },
    checkpoints: { beforeChange: { vmName: "web01", name: "Before change", dependsOnPolicy: "web01" } },
};
const bad: Declared = { ...story, checkpoints: { tooLong: { vmName: "web01", name: "x".repeat(101) } } };

/** Fields that differ from lab to lab (VM and checkpoint ids, times): the rest of the outputs must agree. */
const perLab = new Set(["vmId", "creationTime", "parentCheckpointId", "ageSeconds"]);
/** A disk file's name holds its checkpoint's id, which differs from lab to lab: its folder and size must agree. */
const GUID = /[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/gi;
const comparable = (key: string, value: unknown) => (key === "diskFiles" ? JSON.parse(JSON.stringify(value).replace(GUID, "<id>")) : value);
const compared = [...Object.keys(policyResultShape), ...Object.keys(checkpointResultShape)].filter((k) => !perLab.has(k));

async function outputsOf(stack: TestStack): Promise<Record<string, Record<string, unknown>>> {
    const { deployment } = JSON.parse(await stack.exportState()) as {
        deployment: { resources: { urn: string; type: string; outputs?: Record<string, unknown> }[] };
    };
    return Object.fromEntries(
        deployment.resources
            .filter((r) => /hyperv:(index:)?(VmCheckpointPolicy|Checkpoint)$/.test(r.type))
            .map((r) => [
                r.urn.split("::").pop()!,
                Object.fromEntries(compared.filter((k) => k in (r.outputs ?? {})).map((k) => [k, comparable(k, r.outputs![k])])),
            ]),
    );
}

const hostOf = (lab: string) => ({
    settings: settingsOf(lab),
    checkpoints: readLab(lab)
        .checkpoints.map((c) => `${readLab(lab).vms.find((v) => v.id === c.vmId)?.name}: ${c.name}`)
        .sort(),
});

/** The engine's words for a check failure, without what differs between runs. */
const refusalOf = (message: string) => /property \w+ value .* has a problem: [^\n]*/.exec(message)?.[0] ?? message;

const changesOf = (res: OperationResult) => opsByName({ ...res, steps: res.changes });

async function runStory(face: Face) {
    const transcript: Record<string, unknown> = {};
    await face.declare(story);
    transcript.up = changesOf(await face.stack.up());
    transcript.hostAfterUp = hostOf(face.lab);
    transcript.outputs = await outputsOf(face.stack);
    transcript.secondUp = changesOf(await face.stack.up());
    await face.declare(bad);
    transcript.refusal = refusalOf(await failureOf(() => face.stack.preview()));
    await face.declare(story);
    labCli(face.lab, "vm", "set", "web01", "--checkpoint-type", "Standard");
    labCli(face.lab, "checkpoint", "rename", "web01", "Before change", "renamed by hand");
    await face.stack.refresh();
    transcript.repair = changesOf(await face.stack.up());
    transcript.hostAfterRepair = hostOf(face.lab);
    await face.stack.destroy();
    transcript.hostAfterDestroy = hostOf(face.lab);
    return transcript;
}

describe("one behaviour, two faces: the dynamic provider and the native plugin run the same story", function () {
    this.timeout(900_000);
    const faces: Record<string, Face> = {};
    before(async () => {
        requireYamlLanguageHost();
        const dynamicLab = await freshLab();
        const dynamic = await TestStack.create({ program: declaredProgram, config: { "hyperv:host": { value: `lab:${dynamicLab}` } } });
        faces.dynamic = {
            stack: dynamic,
            lab: dynamicLab,
            declare: (d) =>
                dynamic.stack.setAllConfig({
                    "e2e:policies": { value: JSON.stringify(d.policies ?? {}) },
                    "e2e:checkpoints": { value: JSON.stringify(d.checkpoints ?? {}) },
                }),
        };
        const nativeLab = await freshLab();
        const native = await TestStack.create({ program: declaredProgram, config: { "hyperv:host": { value: `lab:${nativeLab}` } } });
        faces.native = {
            stack: native,
            lab: nativeLab,
            declare: async (d) => fs.writeFileSync(path.join(native.workDir, "Pulumi.yaml"), yamlProgram("declared", d)),
        };
    });
    after(async () => {
        for (const face of Object.values(faces)) {
            await face.stack.dispose();
            fs.rmSync(face.lab, { recursive: true, force: true });
        }
    });

    it("same host outcome, same outputs, same refusal of bad input, same drift repair, same destroy", async () => {
        const initial = hostOf(faces.dynamic!.lab);
        const dynamic = await step("the story through the dynamic provider (TypeScript)", () => runStory(faces.dynamic!));
        const native = await step("the story through the native plugin (YAML)", () => runStory(faces.native!));
        await step("the story itself did what it says (on the dynamic face)", () => {
            assert.deepEqual(dynamic.up, { web01: ["create"], dev01: ["create"], beforeChange: ["create"] });
            assert.deepEqual(dynamic.secondUp, {});
            assert.match(String(dynamic.refusal), /property name value .* has a problem: name is 101 characters; Hyper-V allows at most 100: shorten it/);
            assert.deepEqual(dynamic.repair, { web01: ["update"], beforeChange: ["update"] });
            assert.deepEqual(dynamic.hostAfterRepair, dynamic.hostAfterUp);
            assert.deepEqual(dynamic.hostAfterDestroy, initial);
            assert.equal((dynamic.outputs as Record<string, Record<string, unknown>>).beforeChange!.kind, "production");
        });
        await step("the native plugin's transcript is the dynamic provider's", () => assert.deepEqual(native, dynamic));
    });
});
