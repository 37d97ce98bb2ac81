import assert from "node:assert/strict";
import { diffCheckpoint, type CheckpointDiff } from "../../provider/resources/checkpoint/diff";
import type { CheckpointInputs, CheckpointOutputs } from "../../provider/resources/checkpoint/schema";

const id = "0a1b2c3d-0000-4000-8000-000000000001";
const vmId = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";

/** A checkpoint "before upgrade" of web01, declared by name, as its state records it. */
const olds: CheckpointOutputs = {
    vmName: "web01",
    vmNameDeclared: "web01",
    vmId,
    name: "before upgrade",
    checkpointName: "before upgrade",
    kind: "production",
    fellBack: false,
    holdsMemory: false,
    vmStateAtCreation: "Running",
    snapshotType: "Planned",
    parentCheckpointId: null,
    creationTime: "2026-01-01T00:00:00Z",
    lastRestoreTime: null,
    adopted: false,
};
const declared: CheckpointInputs = { vmName: "web01", name: "before upgrade" };

const none: CheckpointDiff = { changes: false, replaces: [], fields: [], restore: false, rename: false, restoreRequested: false, gone: false };

describe("diffCheckpoint: what `pulumi up` does to a checkpoint", () => {
    const cases: [string, Partial<CheckpointOutputs>, CheckpointInputs, Partial<CheckpointDiff>][] = [
        ["the same declaration: nothing", {}, declared, {}],
        ["another VM: a new checkpoint of that VM", {}, { ...declared, vmName: "web02" }, { changes: true, replaces: ["vmName"], fields: ["vmName"] }],
        ["the VM renamed on the host, still declared by its old name: nothing", { vmName: "web01-renamed" }, declared, {}],
        ["the VM declared by its new name after a rename: nothing", { vmName: "web01-renamed" }, { ...declared, vmName: "web01-renamed" }, {}],
        [
            "another VM by id: replaced",
            {},
            { vmId: "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a12", name: "before upgrade" },
            { changes: true, replaces: ["vmId"], fields: ["vmId"] },
        ],
        ["switching to the same VM's id: recorded, not replaced", {}, { vmId, name: "before upgrade" }, { changes: true, fields: ["vmId"] }],
        ["another host: replaced", {}, { ...declared, host: "hv02" }, { changes: true, replaces: ["host"], fields: ["host"] }],
        ["another type: a new checkpoint of that type", {}, { ...declared, type: "standard" }, { changes: true, replaces: ["type"], fields: ["type"] }],
        ["another name: renamed in place", {}, { ...declared, name: "after upgrade" }, { changes: true, fields: ["name"], rename: true }],
        [
            "renamed on the host, declared as before: renamed back",
            { checkpointName: "someone renamed it" },
            declared,
            { changes: true, fields: ["name"], rename: true },
        ],
        [
            "a first restoreTrigger: the checkpoint is applied",
            {},
            { ...declared, restoreTrigger: "1" },
            { changes: true, fields: ["restoreTrigger"], restore: true, restoreRequested: true },
        ],
        [
            "a new restoreTrigger: applied again",
            { restoreTrigger: "1" },
            { ...declared, restoreTrigger: "2" },
            { changes: true, fields: ["restoreTrigger"], restore: true, restoreRequested: true },
        ],
        [
            "removed outside Pulumi (refresh found it gone): taken again",
            { present: false },
            declared,
            { changes: true, replaces: ["name"], fields: ["name"], gone: true },
        ],
        [
            "removed outside Pulumi, and a new restoreTrigger: a rollback to it is asked for, and nothing is applied",
            { present: false },
            { ...declared, restoreTrigger: "1" },
            { changes: true, replaces: ["name"], fields: ["name", "restoreTrigger"], restoreRequested: true, gone: true },
        ],
        ["the restoreTrigger removed: recorded, nothing applied", { restoreTrigger: "1" }, declared, { changes: true, fields: ["restoreTrigger"] }],
        [
            "a new restoreTrigger with another VM: the new checkpoint is not applied",
            {},
            { ...declared, vmName: "web02", restoreTrigger: "1" },
            { changes: true, replaces: ["vmName"], fields: ["vmName", "restoreTrigger"] },
        ],
        ["startAfterRestore set: recorded", {}, { ...declared, startAfterRestore: true }, { changes: true, fields: ["startAfterRestore"] }],
        ["adopting the checkpoint it already is: nothing", { adoptId: id, name: undefined }, { vmName: "web01", adoptId: id }, {}],
        [
            "adopting another checkpoint: replaced",
            { adoptId: id },
            { ...declared, adoptId: "0a1b2c3d-0000-4000-8000-000000000002" },
            { changes: true, replaces: ["adoptId"], fields: ["adoptId"] },
        ],
    ];
    for (const [what, state, news, expected] of cases) {
        it(what, () => assert.deepEqual(diffCheckpoint(id, { ...olds, ...state }, news), { ...none, ...expected }));
    }
});
