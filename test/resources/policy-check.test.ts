import * as assert from "node:assert/strict";
import { policyProvider } from "../../provider";
import { checked, checkFailures, UNKNOWN } from "./helpers";

const VM_ID = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";

/** The single failure check reports, with the field it names. */
async function failure(news: Record<string, unknown>): Promise<{ property: string; reason: string }> {
    const failures = await checkFailures(policyProvider, news);
    assert.equal(failures.length, 1, `expected one failure, got ${JSON.stringify(failures)}`);
    return failures[0]!;
}

describe("VmCheckpointPolicy check: each field's rule, with the field and the fix", () => {
    it("accepts a VM by name or by id with nothing else declared", async () => {
        await checked(policyProvider, { vmName: "web01" });
        await checked(policyProvider, { vmId: VM_ID });
    });

    it("asks for vmName or vmId when the VM is not named", async () => {
        const f = await failure({ type: "production" });
        assert.equal(f.property, "vmName");
        assert.match(f.reason, /set vmName .* or vmId/);
    });

    it("refuses vmName and vmId together", async () => {
        const f = await failure({ vmName: "web01", vmId: VM_ID });
        assert.equal(f.property, "vmId");
        assert.match(f.reason, /either vmName or vmId, not both/);
    });

    it("refuses a vmId that is not a GUID", async () => {
        const f = await failure({ vmId: "web01" });
        assert.equal(f.property, "vmId");
    });

    it("says what a vmId looks like and where to find one", async () => {
        const f = await failure({ vmId: "web01" });
        assert.match(f.reason, /vmId must be a VM's GUID, e\.g\. [0-9a-f-]{36} \(Get-VM/);
    });

    it("refuses an empty vmName", async () => {
        const f = await failure({ vmName: "" });
        assert.equal(f.property, "vmName");
        assert.match(f.reason, /vmName must not be empty/);
    });

    for (const type of ["Production", "productionOnly", "disabled", "", 3]) {
        it(`refuses type ${JSON.stringify(type)}, listing the values it takes`, async () => {
            const f = await failure({ vmName: "web01", type });
            assert.equal(f.property, "type");
            assert.match(f.reason, /type must be "production" or "standard"/);
        });
    }

    it("refuses fallbackToStandard without a production type", async () => {
        for (const type of [undefined, "standard"]) {
            const f = await failure({ vmName: "web01", fallbackToStandard: true, ...(type ? { type } : {}) });
            assert.equal(f.property, "fallbackToStandard");
            assert.match(f.reason, /production checkpoints only: set type: "production", or remove fallbackToStandard/);
        }
        await checked(policyProvider, { vmName: "web01", type: "production", fallbackToStandard: false });
    });

    it("refuses ensureBackupIntegration with standard checkpoints", async () => {
        const f = await failure({ vmName: "web01", type: "standard", ensureBackupIntegration: true });
        assert.equal(f.property, "ensureBackupIntegration");
        assert.match(f.reason, /set type: "production", or remove ensureBackupIntegration/);
        await checked(policyProvider, { vmName: "web01", type: "standard", ensureBackupIntegration: false });
    });

    it("refuses a boolean field given as a string", async () => {
        const f = await failure({ vmName: "web01", automaticCheckpoints: "yes" });
        assert.equal(f.property, "automaticCheckpoints");
        assert.match(f.reason, /automaticCheckpoints must be true or false/);
    });

    const badLocations: [string, string, RegExp][] = [
        ["a relative path", "Checkpoints\\web01", /is not an absolute Windows path/],
        ["a path with '..'", "D:\\Checkpoints\\..\\Windows", /contains '\.' or '\.\.'/],
        ["forward slashes", "D:/Checkpoints/web01", /uses '\/': Windows paths use '\\'/],
        ["a \\\\?\\ device path", "\\\\?\\D:\\Checkpoints", /uses a device path/],
        ["a \\\\.\\ device path", "\\\\.\\PhysicalDrive0", /uses a device path/],
        ["a reserved name", "D:\\Checkpoints\\CON", /reserved name/],
        ["a reserved name with an extension", "D:\\nul.txt\\web01", /reserved name/],
        ["trailing spaces", "D:\\Checkpoints ", /leading\/trailing spaces/],
        ["an empty string", "", /is empty/],
        ["a UNC path without a share", "\\\\server", /is not an absolute Windows path/],
    ];
    for (const [what, fileLocation, why] of badLocations) {
        it(`refuses a fileLocation with ${what}, naming the field and the fix`, async () => {
            const f = await failure({ vmName: "web01", fileLocation });
            assert.equal(f.property, "fileLocation");
            assert.match(f.reason, /^fileLocation /);
            assert.match(f.reason, why);
            assert.match(f.reason, /use an absolute folder on the Hyper-V host, e\.g\. D:\\Hyper-V\\Checkpoints/);
        });
    }

    for (const fileLocation of [
        "D:\\Hyper-V\\Checkpoints",
        "D:\\",
        "e:\\cp\\web01\\",
        "\\\\server\\share\\checkpoints",
        "\\\\fs01.corp\\hyperv$",
        "D:\\チェックポイント",
    ]) {
        it(`accepts the fileLocation ${fileLocation}`, async () => {
            await checked(policyProvider, { vmName: "web01", fileLocation });
        });
    }

    it("answers at once for a long folder name with a bad character at its end (no runaway matching)", async () => {
        // The old drive-path pattern took seconds at 30 characters and grew exponentially.
        for (const fileLocation of [`D:\\${"a".repeat(240)}<`, `D:\\${"a\\".repeat(100)}a?`, `\\\\srv\\${"s".repeat(200)}*`]) {
            const started = performance.now();
            const f = await failure({ vmName: "web01", fileLocation });
            assert.equal(f.property, "fileLocation");
            assert.ok(performance.now() - started < 200, `check took ${performance.now() - started} ms`);
        }
    });

    it("reports every invalid field at once", async () => {
        const failures = await checkFailures(policyProvider, { vmId: "nope", type: "fast", fileLocation: "cp" });
        assert.deepEqual(failures.map((f) => f.property).sort(), ["fileLocation", "type", "vmId"]);
    });

    describe("values the engine does not know yet (preview)", () => {
        it("passes unknown values of every field and hands the inputs on unchanged", async () => {
            const news = { vmName: UNKNOWN, type: UNKNOWN, fileLocation: UNKNOWN, automaticCheckpoints: UNKNOWN };
            const result = await policyProvider.check!({}, news);
            assert.equal(result.failures, undefined);
            assert.deepEqual(result.inputs, news);
        });

        it("passes a VM named by an id that is not known yet", async () => {
            assert.deepEqual(await checkFailures(policyProvider, { vmId: UNKNOWN, type: "production" }), []);
        });

        it("passes fallbackToStandard when the type is not known yet", async () => {
            assert.deepEqual(await checkFailures(policyProvider, { vmName: "web01", type: UNKNOWN, fallbackToStandard: false }), []);
        });

        it("still reports a known invalid field next to unknown ones", async () => {
            const failures = await checkFailures(policyProvider, { vmName: UNKNOWN, fileLocation: "relative\\cp" });
            assert.deepEqual(
                failures.map((f) => f.property),
                ["fileLocation"],
            );
        });
    });
});
