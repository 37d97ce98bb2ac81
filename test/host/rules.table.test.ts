import assert from "node:assert/strict";
import {
    compareVersions,
    holdsMemory,
    isTransitional,
    permanentProductionBlocker,
    plannedCheckpointKind,
    productionBlocker,
    type CheckpointType,
    type Vm,
} from "../../provider/host";

/** A VM that can make a production checkpoint now; each row changes what it is about. */
const ready: Vm = {
    id: "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11",
    name: "web01",
    state: "Running",
    version: "9.0",
    checkpointType: "Production",
    checkpointFileLocation: "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
    automaticCheckpointsEnabled: false,
    parentCheckpointId: null,
    backupService: { enabled: true, guestResponding: true },
    hardDrives: [],
};

describe("compareVersions: configuration versions compare as numbers, part by part", () => {
    const cases: [string, string, string, "<" | "=" | ">"][] = [
        ["equal versions", "6.2", "6.2", "="],
        ["9.0 is newer than 6.2", "9.0", "6.2", ">"],
        ["10.0 is newer than 9.0 (by text it would be older)", "10.0", "9.0", ">"],
        ["6.10 is newer than 6.2", "6.10", "6.2", ">"],
        ["5.0 is older than 6.2", "5.0", "6.2", "<"],
        ["a missing part counts as 0: 6 equals 6.0", "6", "6.0", "="],
        ["a part that is not a number counts as 0", "6.x", "6.0", "="],
    ];
    for (const [what, a, b, expected] of cases) {
        it(what, () => {
            const d = compareVersions(a, b);
            assert.equal(d < 0 ? "<" : d > 0 ? ">" : "=", expected);
        });
    }
});

describe("productionBlocker: why a production checkpoint cannot be made now, first reason wins", () => {
    const cases: [string, Partial<Vm>, string | null, RegExp | null][] = [
        ["a running VM with a working backup service: nothing blocks", {}, null, null],
        ["a configuration version below 6.2", { version: "5.0" }, "version", /configuration version 5\.0 is below 6\.2; upgrade it with Update-VMVersion/],
        ["6.2 itself is enough", { version: "6.2" }, null, null],
        ["the version is named before the state", { version: "5.0", state: "Off" }, "version", null],
        ["a saved VM", { state: "Saved" }, "state", /the VM is Saved/],
        ["an off VM (whose checkpoint is consistent anyway: see plannedCheckpointKind)", { state: "Off" }, "state", /the VM is Off/],
        ["no backup integration service", { backupService: null }, "backup-service-missing", /no backup \(volume shadow copy\) integration service/],
        [
            "the backup service turned off, with the field that turns it on",
            { backupService: { enabled: false, guestResponding: true } },
            "backup-service-disabled",
            /ensureBackupIntegration/,
        ],
        ["a guest whose VSS does not answer", { backupService: { enabled: true, guestResponding: false } }, "guest-not-responding", /does not answer/],
    ];
    for (const [what, vm, reason, detail] of cases) {
        it(what, () => {
            const blocker = productionBlocker({ ...ready, ...vm });
            assert.equal(blocker?.reason ?? null, reason);
            if (detail) assert.match(blocker!.detail, detail);
        });
    }
});

describe("permanentProductionBlocker: only what no change of state cures", () => {
    const cases: [string, Partial<Vm>, string | null][] = [
        ["an old configuration version", { version: "5.0" }, "version"],
        ["an off VM: it can run later", { state: "Off" }, null],
        ["a missing backup service: it can be added", { backupService: null }, null],
    ];
    for (const [what, vm, reason] of cases) {
        it(what, () => assert.equal(permanentProductionBlocker({ ...ready, ...vm })?.reason ?? null, reason));
    }
});

describe("plannedCheckpointKind: what Hyper-V makes under a type, or why it refuses", () => {
    type Planned = ReturnType<typeof plannedCheckpointKind>;
    const cases: [string, Partial<Vm>, CheckpointType | null, Planned | string][] = [
        ["standard is standard", {}, "Standard", { kind: "standard", fellBack: false }],
        ["a host without types (null) makes standard ones", {}, null, { kind: "standard", fellBack: false }],
        ["Disabled refuses", {}, "Disabled", { refused: "disabled" }],
        ["production on a ready VM", {}, "Production", { kind: "production", fellBack: false }],
        ["production of a saved VM falls back to standard", { state: "Saved" }, "Production", { kind: "standard", fellBack: true }],
        ["production-only of a saved VM refuses, with the reason", { state: "Saved" }, "ProductionOnly", "state"],
        ["production of an off VM is production: disk-only and consistent", { state: "Off" }, "Production", { kind: "production", fellBack: false }],
        [
            "production-only of an off VM too, even without a backup service",
            { state: "Off", backupService: null },
            "ProductionOnly",
            { kind: "production", fellBack: false },
        ],
        ["production-only on an old configuration version refuses", { version: "5.0" }, "ProductionOnly", "version"],
        ["production on an old configuration version falls back", { version: "5.0" }, "Production", { kind: "standard", fellBack: true }],
    ];
    for (const [what, vm, type, expected] of cases) {
        it(what, () => {
            const planned = plannedCheckpointKind({ ...ready, ...vm }, type);
            if (typeof expected === "string") {
                assert.ok("refused" in planned && planned.refused === "production", JSON.stringify(planned));
                assert.equal(planned.blocker.reason, expected);
            } else {
                assert.deepEqual(planned, expected);
            }
        });
    }
});

describe("holdsMemory and isTransitional: what a checkpoint captured, when Hyper-V waits", () => {
    const cases: [Vm["state"], boolean, boolean][] = [
        ["Running", true, false],
        ["Paused", true, false],
        ["Saved", true, false],
        ["Off", false, false],
        ["Starting", false, true],
        ["Stopping", false, true],
        ["Saving", false, true],
        ["FastSaved", false, false],
        ["Other", false, true],
    ];
    for (const [state, memory, transitional] of cases) {
        it(`${state}: ${memory ? "restores memory or saved state" : "disk only"}, ${transitional ? "refuses checkpoints until it settles" : "takes checkpoints"}`, () => {
            assert.equal(holdsMemory(state), memory);
            assert.equal(isTransitional(state), transitional);
        });
    }
});
