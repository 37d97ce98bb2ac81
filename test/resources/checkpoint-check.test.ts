import * as assert from "node:assert/strict";
import { checkpointProvider } from "../../provider";
import { checked, checkFailures, UNKNOWN } from "./helpers";

const VM_ID = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";
const CP_ID = "0e3f4c9a-58b1-4c1e-8a0d-2f6b9d7c1e55";

async function failure(news: Record<string, unknown>): Promise<{ property: string; reason: string }> {
    const failures = await checkFailures(checkpointProvider, news);
    assert.equal(failures.length, 1, `expected one failure, got ${JSON.stringify(failures)}`);
    return failures[0]!;
}

describe("Checkpoint check: the name rules, the type values and adoption", () => {
    it("accepts a named checkpoint of a VM by name or by id", async () => {
        await checked(checkpointProvider, { vmName: "web01", name: "before upgrade" });
        await checked(checkpointProvider, { vmId: VM_ID, name: "before upgrade" });
    });

    it("asks for vmName or vmId, and refuses both", async () => {
        const none = await failure({ name: "x" });
        assert.equal(none.property, "vmName");
        assert.match(none.reason, /set vmName .* or vmId/);
        const both = await failure({ vmName: "web01", vmId: VM_ID, name: "x" });
        assert.equal(both.property, "vmId");
        assert.match(both.reason, /not both/);
    });

    it("refuses a vmId that is not a GUID", async () => {
        const f = await failure({ vmId: "{6c1c5a8e}", name: "x" });
        assert.equal(f.property, "vmId");
    });

    it("says what a vmId looks like", async () => {
        const f = await failure({ vmId: "{6c1c5a8e}", name: "x" });
        assert.match(f.reason, /vmId must be a VM's GUID/);
    });

    it("asks for a name unless a checkpoint is adopted", async () => {
        const f = await failure({ vmName: "web01" });
        assert.equal(f.property, "name");
        assert.match(f.reason, /name the checkpoint \(1 to 100 characters\)/);
        await checked(checkpointProvider, { vmName: "web01", adoptId: CP_ID });
    });

    const badNames: [string, string, RegExp][] = [
        ["empty", "", /must not be empty: give the checkpoint a name of 1 to 100 characters/],
        ["only whitespace", " \u3000 ", /must not be only whitespace/],
        ["101 characters", "x".repeat(101), /is 101 characters; Hyper-V allows at most 100: shorten it/],
        [
            "51 emoji, which are 102 UTF-16 units (Hyper-V's count)",
            "\u{1F680}".repeat(51),
            /is 102 UTF-16 units long \(characters beyond the BMP, such as emoji, count twice\)/,
        ],
        ["an unpaired surrogate, which no host can be sent", "x\uD800", /unpaired UTF-16 surrogate \(U\+D800 at index 1\).*remove it/],
        ["a newline", "before\nupgrade", /control character .*: remove it/],
        ["a tab", "before\tupgrade", /control character/],
        ["a NUL", "before\u0000", /control character/],
    ];
    for (const [what, name, why] of badNames) {
        it(`refuses a name that is ${what}`, async () => {
            const f = await failure({ vmName: "web01", name });
            assert.equal(f.property, "name");
            assert.match(f.reason, /^name /);
            assert.match(f.reason, why);
        });
    }

    for (const [what, name] of [
        ["100 characters", "x".repeat(100)],
        ["100 non-Latin characters", "更".repeat(100)],
        ["Japanese", "アップグレード前"],
        ["50 emoji, which are 100 UTF-16 units", "🚀".repeat(50)],
        ["wildcard and quote characters", "[pre] *release* 'v2' \"final\" $x"],
    ] as const) {
        it(`accepts a name with ${what}`, async () => {
            await checked(checkpointProvider, { vmName: "web01", name });
        });
    }

    for (const type of ["production", "productionOnly", "standard"]) {
        it(`accepts type ${type}`, async () => {
            await checked(checkpointProvider, { vmName: "web01", name: "x", type });
        });
    }

    for (const type of ["Production", "ProductionOnly", "disabled", "Disabled", ""]) {
        it(`refuses type ${JSON.stringify(type)}, listing the values it takes`, async () => {
            const f = await failure({ vmName: "web01", name: "x", type });
            assert.equal(f.property, "type");
            assert.match(f.reason, /type must be "production", "productionOnly" or "standard"/);
        });
    }

    it("refuses a restoreTrigger that is not a string and a startAfterRestore that is not a boolean", async () => {
        const failures = await checkFailures(checkpointProvider, { vmName: "web01", name: "x", restoreTrigger: 2, startAfterRestore: "yes" });
        assert.deepEqual(failures.map((f) => f.property).sort(), ["restoreTrigger", "startAfterRestore"]);
        assert.match(failures.find((f) => f.property === "restoreTrigger")!.reason, /change it to apply the checkpoint/);
        assert.match(failures.find((f) => f.property === "startAfterRestore")!.reason, /true or false/);
    });

    it("refuses an adoptId that is not a GUID, saying where to find one", async () => {
        const f = await failure({ vmName: "web01", adoptId: "before upgrade" });
        assert.equal(f.property, "adoptId");
        assert.match(f.reason, /adoptId must be the GUID of an existing checkpoint \(Get-VMSnapshot/);
    });

    it("refuses a type on an adopted checkpoint", async () => {
        const f = await failure({ vmName: "web01", adoptId: CP_ID, type: "standard" });
        assert.equal(f.property, "type");
        assert.match(f.reason, /an adopted checkpoint already exists: remove type/);
    });

    describe("values the engine does not know yet (preview)", () => {
        it("passes unknown values of every field", async () => {
            const news = { vmName: UNKNOWN, name: UNKNOWN, type: UNKNOWN, restoreTrigger: UNKNOWN };
            const result = await checkpointProvider.check!({}, news);
            assert.equal(result.failures, undefined);
            assert.deepEqual(result.inputs, news);
        });

        it("passes a VM named by an id that is not known yet", async () => {
            assert.deepEqual(await checkFailures(checkpointProvider, { vmId: UNKNOWN, name: "before upgrade" }), []);
        });

        it("passes an adoption whose id is not known yet", async () => {
            assert.deepEqual(await checkFailures(checkpointProvider, { vmName: "web01", adoptId: UNKNOWN }), []);
        });

        it("still reports a known invalid name next to an unknown VM", async () => {
            const failures = await checkFailures(checkpointProvider, { vmName: UNKNOWN, name: "x".repeat(101) });
            assert.deepEqual(
                failures.map((f) => f.property),
                ["name"],
            );
        });
    });
});
