import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import fc from "fast-check";
import { addVm, readLab, removeLabCheckpoint } from "../../provider/lab";
import { checkpointProvider, configureSettings, disconnectAll, policyProvider, readHostSettings } from "../../provider";
import { hostileNames, hostilePaths } from "../corpus/hostile";
import { emptyLab } from "./support/lab-stack";

type Provider = typeof checkpointProvider | typeof policyProvider;

/**
 * The resource's check on one declaration: either it passes the declaration on unchanged, or it
 * fails naming the field. Never a throw, never a silent change.
 */
async function checkOutcome(provider: Provider, news: Record<string, unknown>, field: string): Promise<"accepted" | "refused"> {
    const res = await provider.check!({}, news);
    if (res.failures && res.failures.length > 0) {
        for (const f of res.failures) {
            assert.equal(f.property, field, `a failure about ${f.property} for ${JSON.stringify(news)}`);
            assert.ok(f.reason.startsWith(field) || f.reason.includes(` ${field} `), `the reason names ${field}: ${f.reason}`);
        }
        return "refused";
    }
    assert.deepEqual(res.inputs, news, "check passes the declaration on unchanged");
    return "accepted";
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse them
const CONTROL = /[\u0000-\u001f\u007f]/;

describe("hostile input through the resources' check", function () {
    this.timeout(120_000);

    for (const name of hostileNames) {
        it(`checkpoint name ${JSON.stringify(name).slice(0, 60)}`, async () => {
            const outcome = await checkOutcome(checkpointProvider, { vmName: "web01", name }, "name");
            // Hyper-V counts UTF-16 units; an unpaired surrogate cannot reach a host as text.
            const valid = name.length <= 100 && name.trim() !== "" && !CONTROL.test(name) && !/\p{Cs}/u.test(name);
            assert.equal(outcome, valid ? "accepted" : "refused");
        });
        it(`vmName ${JSON.stringify(name).slice(0, 60)}`, async () => {
            const outcome = await checkOutcome(policyProvider, { vmName: name, type: "standard" }, "vmName");
            assert.equal(outcome, name.length >= 1 && name.length <= 100 && !/\p{Cs}/u.test(name) ? "accepted" : "refused");
            await checkOutcome(checkpointProvider, { vmName: name, name: "x" }, "vmName");
        });
    }

    for (const fileLocation of hostilePaths) {
        it(`fileLocation ${JSON.stringify(fileLocation).slice(0, 60)}`, async () => {
            const outcome = await checkOutcome(policyProvider, { vmName: "web01", fileLocation }, "fileLocation");
            const relative = !/^([A-Za-z]:\\|\\\\[^\\?.])/.test(fileLocation);
            const dots = fileLocation.split("\\").some((p) => p === ".." || p === ".");
            const device = fileLocation.startsWith("\\\\?\\") || fileLocation.startsWith("\\\\.\\");
            const reserved = fileLocation.split("\\").some((p) => /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i.test(p));
            if (relative || dots || device || reserved || fileLocation.length > 248 || fileLocation.includes("/")) assert.equal(outcome, "refused");
        });
    }

    it("property: any string as name, vmName or fileLocation is accepted unchanged or refused naming the field", async () => {
        const text = fc.oneof(
            fc.string({ unit: "grapheme", maxLength: 120 }),
            fc.string({ unit: "binary", maxLength: 120 }),
            fc.constantFrom(...hostileNames, ...hostilePaths),
        );
        await fc.assert(
            fc.asyncProperty(text, text, text, async (name, vmName, fileLocation) => {
                await checkOutcome(checkpointProvider, { vmName: "web01", name }, "name");
                await checkOutcome(policyProvider, { vmName, type: "standard" }, "vmName");
                await checkOutcome(policyProvider, { vmName: "web01", fileLocation }, "fileLocation");
            }),
            { numRuns: 500 },
        );
    });
});

describe("hostile input end to end on the lab: what check accepts is used exactly as given", function () {
    this.timeout(300_000);
    let lab: string;

    // A lab for each test: the tests add VMs, set policies and take checkpoints, and takeAndRemove
    // asserts the lab holds no checkpoint, which must not depend on what another test left.
    beforeEach(async () => {
        lab = await emptyLab(["web01", "wildXcard", "bracketed"]);
        configureSettings(readHostSettings({ get: (k) => (k === "hyperv:host" ? `lab:${lab}` : undefined) }));
    });
    afterEach(async () => {
        await disconnectAll();
        fs.rmSync(lab, { recursive: true, force: true });
    });

    async function takeAndRemove(name: string): Promise<void> {
        const created = await checkpointProvider.create({ vmName: "web01", name });
        const cp = readLab(lab).checkpoints.find((c) => c.id === created.id)!;
        assert.equal(cp.name, name, "the checkpoint has exactly the declared name");
        assert.equal(created.outs!.checkpointName, name);
        await checkpointProvider.delete!(created.id, created.outs!);
        assert.equal(readLab(lab).checkpoints.length, 0);
    }

    it("every accepted corpus name becomes a checkpoint of exactly that name", async () => {
        const accepted: string[] = [];
        for (const name of hostileNames) {
            const res = await checkpointProvider.check!({}, { vmName: "web01", name });
            if (res.failures?.length) {
                assert.deepEqual(
                    res.failures.map((f) => f.property),
                    ["name"],
                    `${JSON.stringify(name)} is refused for its name alone`,
                );
                continue;
            }
            await takeAndRemove(name);
            accepted.push(name);
        }
        // A check that refused everything would leave the loop above nothing to assert.
        for (const name of ["plain", "it's", "'; Remove-Item -Recurse C:\\ #", "$(Stop-Computer)", "x".repeat(100), "名前-チェックポイント"]) {
            assert.ok(accepted.includes(name), `${JSON.stringify(name)} is a name Hyper-V holds, and was taken`);
        }
        assert.ok(!accepted.includes("") && !accepted.includes("y".repeat(101)), "names of 0 and 101 characters are refused");
    });

    it("a VM name is matched exactly, never as a wildcard pattern", async () => {
        for (const vmName of ["wild*card", "wild?card", "[bracketed]", "*", "bracket[e]d"]) {
            await assert.rejects(policyProvider.create({ vmName, type: "standard" }), (e: Error) => {
                assert.match(e.message, /unable to find a virtual machine/i);
                assert.ok(e.message.includes(vmName), "the error names the VM asked for");
                return true;
            });
        }
    });

    it("every corpus VM name the host can hold is resolved to exactly that VM", async () => {
        for (const name of hostileNames) {
            const res = await policyProvider.check!({}, { vmName: name, type: "standard" });
            if (res.failures?.length) continue;
            const vm = await addVm(lab, { name, state: "Off", version: "9.0" }).catch(() => undefined);
            if (!vm) continue;
            const created = await policyProvider.create({ vmName: name, type: "standard" });
            assert.equal(created.id, vm.id, `vmName ${JSON.stringify(name)} resolved to its VM`);
        }
    });

    it("every accepted corpus file location is set exactly, or refused by the host with a clear error", async () => {
        const vm = await addVm(lab, { name: "paths01", state: "Off", version: "9.0" });
        for (const fileLocation of hostilePaths) {
            const res = await policyProvider.check!({}, { vmName: "paths01", fileLocation });
            if (res.failures?.length) continue;
            try {
                const created = await policyProvider.create({ vmName: "paths01", fileLocation });
                assert.equal(created.outs!.checkpointFileLocation, fileLocation);
                assert.equal(readLab(lab).vms.find((v) => v.id === vm.id)!.checkpointFileLocation, fileLocation);
                // A checkpoint's files go to the new location.
                const cp = await checkpointProvider.create({ vmName: "paths01", name: "in the new place" });
                await removeLabCheckpoint(lab, { id: vm.id }, { id: cp.id });
            } catch (e) {
                assert.match((e as Error).message, /fileLocation|path|folder/i, `a clear error for ${fileLocation}: ${(e as Error).message}`);
                assert.ok((e as Error).message.includes("paths01"), `the error names the VM: ${(e as Error).message}`);
            }
        }
    });

    it("property: generated checkpoint names that pass check are taken exactly as given", async () => {
        await fc.assert(
            fc.asyncProperty(fc.string({ unit: "grapheme", minLength: 1, maxLength: 100 }), async (name) => {
                const res = await checkpointProvider.check!({}, { vmName: "web01", name });
                if (res.failures?.length) {
                    assert.deepEqual(
                        res.failures.map((f) => f.property),
                        ["name"],
                        `${JSON.stringify(name)} is refused for its name alone`,
                    );
                } else {
                    await takeAndRemove(name);
                }
            }),
            { numRuns: 25 },
        );
    });
});
