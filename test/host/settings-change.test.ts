import assert from "node:assert/strict";
import { settingsChange, type CurrentCheckpointSettings } from "../../provider/host";
import type { DesiredCheckpointSettings } from "../../provider/host/model";

const current: CurrentCheckpointSettings = { checkpointType: "Production", checkpointFileLocation: "C:\\Checkpoints", automaticCheckpointsEnabled: false };

describe("settingsChange: only what differs is written", () => {
    const cases: [string, Partial<CurrentCheckpointSettings>, DesiredCheckpointSettings, number, object][] = [
        [
            "a VM that matches: nothing",
            {},
            { checkpointType: "Production", checkpointFileLocation: "c:\\checkpoints\\", automaticCheckpointsEnabled: false },
            0,
            {},
        ],
        ["another type", {}, { checkpointType: "Standard" }, 0, { checkpointType: "Standard" }],
        ["types compare case-sensitively, as enum names", {}, { checkpointType: "ProductionOnly" }, 0, { checkpointType: "ProductionOnly" }],
        ["a path that differs only in case and a trailing backslash: nothing", {}, { checkpointFileLocation: "c:\\CHECKPOINTS\\\\" }, 0, {}],
        ["another path", {}, { checkpointFileLocation: "D:\\Checkpoints" }, 0, { checkpointFileLocation: "D:\\Checkpoints" }],
        [
            "another path kept on a VM with checkpoints when asked",
            {},
            { checkpointFileLocation: "D:\\Checkpoints", fileLocationWhileCheckpointed: "keep", checkpointType: "Standard" },
            2,
            { checkpointType: "Standard" },
        ],
        [
            "another path on a VM with checkpoints, by default: asked for (the host refuses it)",
            {},
            { checkpointFileLocation: "D:\\Checkpoints" },
            2,
            { checkpointFileLocation: "D:\\Checkpoints" },
        ],
        ["automatic checkpoints on", {}, { automaticCheckpointsEnabled: true }, 0, { automaticCheckpointsEnabled: true }],
        [
            "automatic checkpoints off on a host that has none: asked for (the host refuses it)",
            { automaticCheckpointsEnabled: null },
            { automaticCheckpointsEnabled: false },
            0,
            { automaticCheckpointsEnabled: false },
        ],
        [
            "re-enabling a Disabled VM: Hyper-V's default type",
            { checkpointType: "Disabled" },
            { reenableCheckpoints: true },
            0,
            { checkpointType: "Production" },
        ],
        ["re-enabling a VM that is not Disabled: nothing", { checkpointType: "Standard" }, { reenableCheckpoints: true }, 0, {}],
        [
            "re-enabling with a type: the type",
            { checkpointType: "Disabled" },
            { reenableCheckpoints: true, checkpointType: "Standard" },
            0,
            { checkpointType: "Standard" },
        ],
    ];
    for (const [what, now, desired, count, expected] of cases) {
        it(what, () => assert.deepEqual(settingsChange({ ...current, ...now }, desired, count), expected));
    }
});
