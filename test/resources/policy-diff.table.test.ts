import assert from "node:assert/strict";
import type { CheckpointSettingsChange, CheckpointType } from "../../provider/host";
import { diffPolicy, type PolicyDiff } from "../../provider/resources/policy/diff";
import { desiredCheckpointType, planChanges, type PolicyPlan } from "../../provider/resources/policy/plan";
import type { PolicyInputs, PolicyOutputs, PolicySettings } from "../../provider/resources/policy/schema";

const vmId = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";

/** A production-checkpoint policy of web01, declared by name, as its state records it. */
const olds: PolicyOutputs = {
    vmId,
    vmName: "web01",
    vmNameDeclared: "web01",
    type: "production",
    checkpointType: "Production",
    checkpointFileLocation: "D:\\Checkpoints",
    automaticCheckpointsEnabled: false,
    backupIntegrationEnabled: true,
    configurationVersion: "9.0",
    productionCheckpointPossible: true,
    productionBlockedBy: null,
    priorSettings: { checkpointType: "Standard", fileLocation: "C:\\Hyper-V", automaticCheckpoints: true, backupIntegrationEnabled: true },
    fileLocationPending: null,
    warning: null,
};
const declared: PolicyInputs = { vmName: "web01", type: "production" };

describe("diffPolicy: what `pulumi up` does to a VM's checkpoint policy", () => {
    const cases: [string, Partial<PolicyOutputs>, PolicyInputs, Partial<PolicyDiff>][] = [
        ["the same declaration: nothing", {}, declared, {}],
        ["another VM: replaced", {}, { ...declared, vmName: "web02" }, { changes: true, replaces: ["vmName"], fields: ["vmName"] }],
        ["the VM renamed on the host, declared by its old name: nothing", { vmName: "web01-renamed" }, declared, {}],
        ["another host: replaced", {}, { ...declared, host: "hv02" }, { changes: true, replaces: ["host"], fields: ["host"] }],
        [
            "another VM by id: replaced",
            {},
            { vmId: "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a12", type: "production" },
            { changes: true, replaces: ["vmId"], fields: ["vmId"] },
        ],
        ["switching to the same VM's id: recorded in place", {}, { vmId, type: "production" }, { changes: true, fields: ["vmId"] }],
        ["another type: updated", {}, { ...declared, type: "standard" }, { changes: true, fields: ["type"] }],
        ["the type changed on the host: repaired", { checkpointType: "Standard" }, declared, { changes: true, fields: ["type"] }],
        [
            "production-only declared: the type changes with its fallback",
            {},
            { ...declared, fallbackToStandard: false },
            { changes: true, fields: ["type", "fallbackToStandard"] },
        ],
        ["the type no longer managed: recorded, the host left alone", {}, { vmName: "web01" }, { changes: true, fields: ["type"] }],
        ["a file location: moved", {}, { ...declared, fileLocation: "E:\\Checkpoints" }, { changes: true, fields: ["fileLocation"] }],
        [
            "the file location the VM has, in another case: recorded only",
            {},
            { ...declared, fileLocation: "d:\\checkpoints\\" },
            { changes: true, fields: ["fileLocation"] },
        ],
        [
            "the same file location in another case as declared before: nothing",
            { fileLocation: "D:\\Checkpoints" },
            { ...declared, fileLocation: "d:\\checkpoints\\" },
            {},
        ],
        ["automatic checkpoints turned on", {}, { ...declared, automaticCheckpoints: true }, { changes: true, fields: ["automaticCheckpoints"] }],
        [
            "backup integration asked for on a VM that has it on: recorded only",
            {},
            { ...declared, ensureBackupIntegration: true },
            { changes: true, fields: ["ensureBackupIntegration"] },
        ],
        [
            "backup integration asked for on a VM that has it off",
            { backupIntegrationEnabled: false, ensureBackupIntegration: true },
            { ...declared, ensureBackupIntegration: true },
            { changes: true, fields: ["ensureBackupIntegration"] },
        ],
        ["disabled: updated", {}, { vmName: "web01", disabled: true }, { changes: true, fields: ["type", "disabled"] }],
    ];
    for (const [what, state, news, expected] of cases) {
        it(what, () => {
            // The order of fields is not something a user sees: compare them as a set.
            const sorted = (d: PolicyDiff) => ({ ...d, fields: [...d.fields].sort() });
            assert.deepEqual(sorted(diffPolicy({ ...olds, ...state }, news)), sorted({ changes: false, replaces: [], fields: [], ...expected }));
        });
    }
});

describe("planChanges: only what differs from the VM's live settings is written", () => {
    const live: PolicySettings = { checkpointType: "Production", fileLocation: "D:\\Checkpoints", automaticCheckpoints: false, backupIntegrationEnabled: true };
    const cases: [string, Partial<PolicySettings>, PolicyInputs, CheckpointSettingsChange, boolean][] = [
        ["a VM that matches: nothing", {}, { vmName: "web01", type: "production", fileLocation: "d:\\checkpoints", automaticCheckpoints: false }, {}, false],
        ["standard on a production VM", {}, { vmName: "web01", type: "standard" }, { checkpointType: "Standard" }, false],
        ["production-only: no fallback", {}, { vmName: "web01", type: "production", fallbackToStandard: false }, { checkpointType: "ProductionOnly" }, false],
        ["disabled", {}, { vmName: "web01", disabled: true }, { checkpointType: "Disabled" }, false],
        [
            "re-enabled without a type: Hyper-V's default",
            { checkpointType: "Disabled" },
            { vmName: "web01", disabled: false },
            { checkpointType: "Production" },
            false,
        ],
        ["re-enabling a VM that is not disabled: nothing", {}, { vmName: "web01", disabled: false }, {}, false],
        ["another file location", {}, { vmName: "web01", fileLocation: "E:\\Checkpoints" }, { checkpointFileLocation: "E:\\Checkpoints" }, false],
        ["automatic checkpoints on", {}, { vmName: "web01", automaticCheckpoints: true }, { automaticCheckpointsEnabled: true }, false],
        ["the backup service enabled when it is off", { backupIntegrationEnabled: false }, { vmName: "web01", ensureBackupIntegration: true }, {}, true],
        ["the backup service left alone when it is on", {}, { vmName: "web01", ensureBackupIntegration: true }, {}, false],
        [
            "a VM without the backup service: nothing to enable (the host refuses it)",
            { backupIntegrationEnabled: null },
            { vmName: "web01", ensureBackupIntegration: true },
            {},
            false,
        ],
    ];
    for (const [what, now, inputs, change, enableBackup] of cases) {
        it(what, () => assert.deepEqual(planChanges(inputs, { ...live, ...now }), { change, enableBackup } satisfies PolicyPlan));
    }
});

describe("desiredCheckpointType: the Hyper-V type a declaration asks for", () => {
    const cases: [string, Partial<PolicyInputs>, CheckpointType | null, CheckpointType | undefined][] = [
        ["nothing declared: left alone", {}, "Standard", undefined],
        ["production falls back by default", { type: "production" }, "Standard", "Production"],
        ["production without fallback is production-only", { type: "production", fallbackToStandard: false }, "Standard", "ProductionOnly"],
        ["production with fallback said out loud", { type: "production", fallbackToStandard: true }, "Standard", "Production"],
        ["standard", { type: "standard" }, "Production", "Standard"],
        ["disabled wins over a type", { type: "standard", disabled: true }, "Production", "Disabled"],
        ["re-enabling a disabled VM: Hyper-V's default", { disabled: false }, "Disabled", "Production"],
        ["not disabling a VM that is not disabled: left alone", { disabled: false }, "Standard", undefined],
    ];
    for (const [what, inputs, current, expected] of cases) {
        it(what, () => assert.equal(desiredCheckpointType({ vmName: "web01", ...inputs }, current), expected));
    }
});
