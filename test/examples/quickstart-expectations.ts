import * as assert from "node:assert/strict";
import { readLab } from "../../provider/lab";
import { opsByName, type OperationResult } from "../e2e/harness";
import { vmByName } from "../e2e/lab-fixture";

/*
 * What the quickstart's first `up` must leave on the host, whichever adapter reached it: the
 * installed-example test (lab) and the PowerShell engine test (real shells) hold it to the same.
 */

/** The checkpoint settings of every VM, as the host has them. */
export function settingsOf(lab: string) {
    return Object.fromEntries(
        readLab(lab).vms.map((v) => [
            v.name,
            {
                checkpointType: v.checkpointType,
                fileLocation: v.checkpointFileLocation,
                automatic: v.automaticCheckpointsEnabled,
            },
        ]),
    );
}

/** Every VM got the policy its job calls for, and web01 a checkpoint before the IIS upgrade after the one taken by hand. */
export function assertQuickstartApplied(lab: string, initial: ReturnType<typeof settingsOf>, res: OperationResult): void {
    assert.deepEqual(opsByName(res), {
        sql01: ["create"],
        dev01: ["create"],
        reports: ["create"],
        "linux-build": ["create"],
        web01: ["create"],
        "web01-before-iis-upgrade": ["create"],
    });
    const now = settingsOf(lab);
    assert.deepEqual(now.sql01, { ...initial.sql01, checkpointType: "ProductionOnly", automatic: false });
    assert.equal(now.dev01!.checkpointType, "Standard");
    assert.equal(now.reports!.checkpointType, "Disabled");
    assert.deepEqual(now["linux-build"], {
        checkpointType: "Standard",
        fileLocation: "E:\\Checkpoints\\linux-build",
        automatic: initial["linux-build"]!.automatic,
    });
    assert.equal(now.web01!.checkpointType, "Production");
    const web01 = vmByName(lab, "web01");
    const upgrade = readLab(lab).checkpoints.find((c) => c.name === "Before IIS upgrade");
    assert.ok(upgrade, "the host has the checkpoint before the IIS upgrade");
    const earlier = readLab(lab).checkpoints.find((c) => c.name === "Before IIS update")!;
    assert.equal(upgrade.vmId, web01.id);
    assert.equal(upgrade.parentId, earlier.id, "the new checkpoint follows the one taken by hand");
    assert.equal(web01.parentCheckpointId, upgrade.id);
    assert.deepEqual(res.outputs.preChangeCheckpoint, { id: upgrade.id, name: "Before IIS upgrade", kind: "production", holdsMemory: false });
}
