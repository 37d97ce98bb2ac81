import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { readLab, takeCheckpointOutOfBand } from "../../provider/lab";
import { opsByName, step } from "./harness";
import { useDeclaredStack, vmByName } from "./lab-fixture";

interface CheckpointOut {
    id: string;
    checkpointName: string;
    kind: string;
    fellBack: boolean;
    holdsMemory: boolean;
    parentCheckpointId: string | null;
    lastRestoreTime: string | null;
}

function filesUnder(dir: string, ext: string): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (e.isFile() && e.name.endsWith(ext)) out.push(path.join(e.parentPath, e.name));
    }
    return out;
}

describe("Checkpoint through the Pulumi engine", function () {
    // The budget is for a whole lifecycle of engine operations, one test with named steps, on a shared machine.
    this.timeout(900_000);
    const env = useDeclaredStack([
        { name: "web01", state: "Running", version: "9.0" },
        { name: "dev01", state: "Running", version: "9.0", checkpointType: "Standard" },
    ]);
    const declare = (checkpoints: Record<string, unknown>) =>
        env.stack.stack.setAllConfig({
            "e2e:policies": { value: JSON.stringify({ webPolicy: { vmName: "web01", type: "production", ensureBackupIntegration: true } }) },
            "e2e:checkpoints": { value: JSON.stringify(checkpoints) },
        });
    const three = {
        first: { vmName: "web01", name: "before upgrade", dependsOnPolicy: "webPolicy" },
        second: { vmName: "web01", name: "after schema change", dependsOnPolicy: "webPolicy" },
        third: { vmName: "web01", name: "after data load", dependsOnPolicy: "webPolicy" },
        devSnap: { vmName: "dev01", name: "dev baseline" },
    };

    // One lifecycle on one stack: each step builds on the checkpoints the previous ones left, and
    // bringing the stack up again for each would cost minutes of engine time.
    it("a checkpoint's lifecycle: three of one VM taken in parallel and one of another, renamed, restored, one deleted from the middle, one adopted, destroyed", async () => {
        const { lab, stack } = env;
        const outs = await step("take three checkpoints of one VM in parallel, chained in creation order, and one of another VM", async () => {
            await declare(three);
            const res = await stack.up();
            assert.deepEqual(opsByName(res), { webPolicy: ["create"], first: ["create"], second: ["create"], third: ["create"], devSnap: ["create"] });
            const outs = res.outputs.checkpointOutputs as Record<string, CheckpointOut>;
            const web = readLab(lab)
                .checkpoints.filter((c) => c.vmId === vmByName(lab, "web01").id)
                .sort((a, b) => a.creationTime.localeCompare(b.creationTime));
            assert.equal(web.length, 3);
            assert.equal(web[0]!.parentId, null);
            assert.equal(web[1]!.parentId, web[0]!.id);
            assert.equal(web[2]!.parentId, web[1]!.id);
            assert.equal(vmByName(lab, "web01").parentCheckpointId, web[2]!.id);
            for (const name of ["first", "second", "third"]) {
                assert.equal(outs[name]!.kind, "production");
                assert.equal(outs[name]!.fellBack, false);
                assert.equal(outs[name]!.holdsMemory, false);
            }
            assert.equal(outs.devSnap!.kind, "standard");
            assert.equal(outs.devSnap!.holdsMemory, true);
            return outs;
        });

        const renamed = { ...three, second: { ...three.second, name: "after schema change v2" } };
        await step("rename a checkpoint in place", async () => {
            await declare(renamed);
            const res = await stack.up();
            assert.deepEqual(opsByName(res).second, ["update"]);
            assert.equal(readLab(lab).checkpoints.find((c) => c.id === outs.second!.id)!.name, "after schema change v2");
        });

        const restored = { ...renamed, second: { ...renamed.second, restoreTrigger: "rollback-1" } };
        await step("apply a checkpoint when its restoreTrigger changes, rolling the VM back", async () => {
            await declare(restored);
            const res = await stack.up();
            assert.deepEqual(opsByName(res).second, ["update"]);
            const web01 = vmByName(lab, "web01");
            assert.equal(web01.state, "Off", "a production checkpoint brings the VM back Off");
            assert.equal(web01.parentCheckpointId, outs.second!.id);
            const after = res.outputs.checkpointOutputs as Record<string, CheckpointOut>;
            assert.ok(after.second!.lastRestoreTime);
        });

        const remainingAfterDelete = await step("delete a checkpoint in the middle: its differencing disk goes, its child is re-parented", async () => {
            // The engine created the three in parallel, so the chain's order is the order they got the VM.
            const names = ["first", "second", "third"] as const;
            const nameOf = (id: string) => names.find((n) => outs[n]!.id === id)!;
            const web = readLab(lab).checkpoints.filter((c) => c.vmId === vmByName(lab, "web01").id);
            const root = web.find((c) => c.parentId === null)!;
            const middle = web.find((c) => c.parentId === root.id)!;
            const leaf = web.find((c) => c.parentId === middle.id)!;
            const disksBefore = filesUnder(lab, ".avhdx");
            // After the restore the VM may run on the middle checkpoint: its disk then has two children
            // (the leaf's chain and the VM's new disk) and Hyper-V can merge it into neither.
            const vmOnMiddle = vmByName(lab, "web01").parentCheckpointId === middle.id;
            const remaining: Record<string, unknown> = { ...restored };
            delete remaining[nameOf(middle.id)];
            await declare(remaining);
            const res = await stack.up();
            assert.deepEqual(opsByName(res)[nameOf(middle.id)], ["delete"]);
            const doc = readLab(lab);
            assert.equal(
                doc.checkpoints.find((c) => c.id === middle.id),
                undefined,
            );
            assert.equal(doc.checkpoints.find((c) => c.id === leaf.id)!.parentId, root.id, "the child now descends from the removed checkpoint's parent");
            if (vmOnMiddle) assert.ok(filesUnder(lab, ".avhdx").length <= disksBefore.length, "no disk was added");
            else assert.ok(filesUnder(lab, ".avhdx").length < disksBefore.length, "a differencing disk was merged away");
            assert.deepEqual(
                filesUnder(lab, ".vmcx").filter((f) => f.includes(middle.id)),
                [],
            );
            const referenced = new Set(doc.vms.flatMap((v) => v.diskFiles.map((d) => d.path.split("\\").pop())));
            for (const file of filesUnder(lab, ".avhdx")) assert.ok(referenced.has(path.basename(file)), `${file} belongs to a disk chain`);
            return remaining;
        });

        await step("adopt a checkpoint taken out of band, by id, without touching it", async () => {
            const oob = await takeCheckpointOutOfBand(lab, { name: "dev01" }, { name: "taken by hand" });
            await declare({ ...remainingAfterDelete, adopted: { vmName: "dev01", adoptId: oob.checkpoint.id } });
            const countBefore = readLab(lab).checkpoints.length;
            const res = await stack.up();
            assert.deepEqual(opsByName(res).adopted, ["create"]);
            assert.equal(readLab(lab).checkpoints.length, countBefore, "no checkpoint was taken");
            const adopted = (res.outputs.checkpointOutputs as Record<string, CheckpointOut>).adopted!;
            assert.equal(adopted.id, oob.checkpoint.id);
            assert.equal(adopted.checkpointName, "taken by hand");
            assert.equal(adopted.kind, "standard", "memory state shows it is a standard checkpoint");
        });

        await step("destroy: no checkpoint and no checkpoint file is left in the lab", async () => {
            await stack.destroy();
            assert.deepEqual(readLab(lab).checkpoints, []);
            assert.deepEqual([...filesUnder(lab, ".avhdx"), ...filesUnder(lab, ".vmcx"), ...filesUnder(lab, ".vmrs")], []);
        });
    });
});
