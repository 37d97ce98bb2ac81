import * as assert from "node:assert/strict";
import { checkpointProvider, policyProvider } from "../../provider";
import { create, destroy, recordHostCalls, labCheckpoints, labVm, labWith, read, removeLabs, update } from "./helpers";

/** The host calls a piece of work makes (capabilities are read once per host and not counted). */
async function calls<T>(work: () => Promise<T>): Promise<{ result: T; methods: string[] }> {
    const methods = recordHostCalls();
    const result = await work();
    return { result, methods };
}

describe("one host call per resource operation", () => {
    afterEach(removeLabs);

    it("VmCheckpointPolicy: create, update, read and delete are one host call each", async () => {
        const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Production" }]);
        const created = await calls(() => create(policyProvider, { vmName: "web01", type: "standard" }));
        assert.deepEqual(created.methods, ["applyCheckpointSettings"]);
        const updated = await calls(() => update(policyProvider, created.result, { vmName: "web01", type: "standard", automaticCheckpoints: false }));
        assert.deepEqual(updated.methods, ["applyCheckpointSettings"]);
        assert.deepEqual((await calls(() => read(policyProvider, updated.result))).methods, ["getVmWithCheckpoints"]);
        assert.deepEqual((await calls(() => destroy(policyProvider, updated.result))).methods, ["applyCheckpointSettings"]);
        assert.equal(labVm(lab, "web01").checkpointType, "Production", "the delete put the type back");
    });

    it("Checkpoint: create, rename, read and delete are one host call each", async () => {
        await labWith([{ name: "web01", state: "Running", checkpointType: "Standard" }]);
        const created = await calls(() => create(checkpointProvider, { vmName: "web01", name: "before patch" }));
        assert.deepEqual(created.methods, ["takeCheckpoint"]);
        const renamed = await calls(() => update(checkpointProvider, created.result, { vmName: "web01", name: "before patch 2" }));
        assert.deepEqual(renamed.methods, ["renameCheckpoint"]);
        assert.deepEqual((await calls(() => read(checkpointProvider, renamed.result))).methods, ["getVmWithCheckpoints"]);
        assert.deepEqual((await calls(() => destroy(checkpointProvider, renamed.result))).methods, ["removeCheckpoint"]);
    });

    it("a policy delete that has nothing to put back asks the host nothing", async () => {
        await labWith([{ name: "web01" }]);
        const created = await create(policyProvider, { vmName: "web01", ensureBackupIntegration: true });
        assert.deepEqual((await calls(() => destroy(policyProvider, created))).methods, []);
    });

    it("a refused create reads the VM once more to say why in the resource's terms, and changes nothing", async () => {
        const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Disabled" }]);
        const methods = recordHostCalls();
        await assert.rejects(
            create(checkpointProvider, { vmName: "web01", name: "x", type: "standard" }),
            /policy is Disabled, and a per-checkpoint type \(standard\) never overrides it/,
        );
        assert.deepEqual(methods, ["takeCheckpoint", "getVmWithCheckpoints"]);
        assert.deepEqual(labCheckpoints(lab, "web01"), []);
    });

    it("runs the creates of one VM named by name one after another, and of other VMs alongside", async () => {
        const lab = await labWith([
            { name: "web01", state: "Running", checkpointType: "Production" },
            { name: "web02", state: "Off", checkpointType: "Production" },
        ]);
        const results = await Promise.all([
            create(policyProvider, { vmName: "web01", type: "standard" }),
            create(checkpointProvider, { vmName: "web01", name: "a" }),
            create(checkpointProvider, { vmName: "web01", name: "b" }),
            create(checkpointProvider, { vmName: "web02", name: "c" }),
            create(checkpointProvider, { vmName: "web01", name: "d" }),
        ]);
        assert.equal(results.length, 5);
        const chain = labCheckpoints(lab, "web01");
        assert.deepEqual(
            chain.map((c) => c.parentId),
            [null, chain[0]!.id, chain[1]!.id],
            "each checkpoint of web01 descends from the one before",
        );
        assert.equal(labCheckpoints(lab, "web02").length, 1);
    });
});
