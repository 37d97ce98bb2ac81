import assert from "node:assert/strict";
import { endpointRefusal, type InstalledEndpoint } from "../../provider/powershell/endpoint/check";
import { MODULE_DIGEST, MODULE_FUNCTIONS, MODULE_VERSION } from "../../provider/powershell/module/module";

/*
 * What the session start of an installed endpoint decides from the endpoint's answer (the answers
 * themselves come from real endpoints in endpoint.test.ts): the same module serves; another version
 * is refused with the upgrade command; missing functions are named.
 */

const current: InstalledEndpoint = {
    psEdition: "Core",
    psVersion: "7.4.6",
    osBuild: 20348,
    moduleVersion: MODULE_VERSION,
    moduleDigest: MODULE_DIGEST,
    functions: [...MODULE_FUNCTIONS],
};

describe("an installed endpoint at session start", () => {
    it("serves when it has this provider's module and every function", () => {
        assert.equal(endpointRefusal(current), null);
    });

    it("is refused when its module is another version, naming both, with the command that upgrades it", () => {
        const refusal = endpointRefusal({ ...current, moduleVersion: "0.0.9", moduleDigest: "0123456789abcdef" });
        assert.ok(refusal);
        assert.match(
            refusal.detail,
            new RegExp(
                `runs HypervCheckpoints 0\\.0\\.9 \\(0123456789abcdef\\), and this provider needs HypervCheckpoints ${MODULE_VERSION.replace(/\./g, "\\.")} \\(${MODULE_DIGEST}\\)`,
            ),
        );
        assert.match(refusal.hint, new RegExp(`npx hyperv-checkpoints@${MODULE_VERSION.replace(/\./g, "\\.")} endpoint hvcp-endpoint`));
        assert.match(refusal.hint, /Copy-Item -Recurse -Force hvcp-endpoint\\HypervCheckpoints 'C:\\Program Files\\PowerShell\\Modules'/);
    });

    it("names the one function an endpoint lacks", () => {
        const refusal = endpointRefusal({ ...current, functions: MODULE_FUNCTIONS.filter((f) => f !== "Invoke-HvcpTakeCheckpoint") });
        assert.ok(refusal);
        assert.equal(refusal.detail, "the endpoint lacks the function Invoke-HvcpTakeCheckpoint of HypervCheckpoints");
    });

    it("names every function it lacks when several are missing", () => {
        const refusal = endpointRefusal({ ...current, functions: MODULE_FUNCTIONS.filter((f) => !f.includes("Checkpoint")) });
        assert.ok(refusal);
        assert.match(
            refusal.detail,
            /lacks the functions Invoke-HvcpApplyCheckpointSettings, Invoke-HvcpTakeCheckpoint, Invoke-HvcpApplyCheckpoint, Invoke-HvcpRenameCheckpoint, Invoke-HvcpRemoveCheckpoint, Invoke-HvcpRestoreCheckpointType of/,
        );
    });
});
