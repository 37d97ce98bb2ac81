import * as assert from "node:assert/strict";
import { readLab, removeLabCheckpoint } from "../../provider/lab";
import { failureOf, opsByName, step } from "./harness";
import { useDeclaredStack, vmByName } from "./lab-fixture";

interface CheckpointOut {
    id: string;
    parentCheckpointId: string | null;
}

/** The VM's checkpoints on the host, oldest first, by name. */
const chainOf = (lab: string, vm: string) =>
    readLab(lab)
        .checkpoints.filter((c) => c.vmId === vmByName(lab, vm).id)
        .sort((a, b) => a.creationTime.localeCompare(b.creationTime));

describe("a checkpoint removed by hand, through the Pulumi engine", function () {
    this.timeout(600_000);
    const env = useDeclaredStack([{ name: "web01", state: "Running", version: "9.0", checkpointType: "Standard" }], true);
    const declare = (checkpoints: Record<string, unknown>) => env.stack.stack.setAllConfig({ "e2e:checkpoints": { value: JSON.stringify(checkpoints) } });

    it("a rollback to it never becomes a new checkpoint: preview and up refuse it before and after refresh", async () => {
        const { lab, stack } = env;
        const taken = await step("take it", async () => {
            await declare({ cp: { vmName: "web01", name: "before upgrade" } });
            return ((await stack.up()).outputs.checkpointOutputs as Record<string, CheckpointOut>).cp!;
        });
        await removeLabCheckpoint(lab, { name: "web01" }, { id: taken.id });
        await declare({ cp: { vmName: "web01", name: "before upgrade", restoreTrigger: "rollback-1" } });
        const impossible = (framing: string) =>
            new RegExp(
                `apply checkpoint ${framing} on host lab .*, VM "web01" \\([0-9a-f-]+\\), checkpoint "before upgrade" \\(${taken.id}\\): the checkpoint was removed outside Pulumi, so the VM cannot be rolled back to it: the state it captured is gone\\. Nothing was changed\\. To take a new checkpoint of the VM as it is now instead, remove restoreTrigger`,
            );
        const host = () => JSON.stringify(readLab(lab).checkpoints);
        const before = host();
        // A refusal, not a bug: no JavaScript stack frame or error class anywhere in the output.
        const plain = (output: string) => {
            assert.doesNotMatch(output, / {4}at \S.*:\d+:\d+\)?$/m, `a stack frame:\n${output}`);
            assert.doesNotMatch(output, /\b[A-Z]\w*Error: /, `an error class:\n${output}`);
            return output;
        };
        await step("preview says the rollback is impossible", async () => {
            assert.match(plain(await failureOf(() => stack.preview())), impossible("would fail"));
        });
        await step("up says so too, without advising a refresh that would silently take a new one", async () => {
            const message = plain(await failureOf(() => stack.up()));
            assert.match(message, impossible("failed"));
            assert.doesNotMatch(message, /forget it/);
        });
        await step("refresh keeps it in the stack, gone, and says what the next up does", async () => {
            const refreshed = await stack.refresh();
            assert.match(
                refreshed.stdout,
                /checkpoint "before upgrade" \([0-9a-f-]+\) of VM "web01" .* was removed outside Pulumi: the next `pulumi up` takes a new checkpoint of the VM as it is now\. A restoreTrigger changed to roll back to it is refused/,
            );
        });
        await step("after the refresh, preview and up still refuse the rollback, and take nothing", async () => {
            assert.match(plain(await failureOf(() => stack.preview())), impossible("would fail"));
            assert.match(plain(await failureOf(() => stack.up())), impossible("failed"));
            assert.equal(host(), before, "no checkpoint was taken or changed");
        });
        await step("with the rollback withdrawn, up takes a new checkpoint in its place, saying so", async () => {
            await declare({ cp: { vmName: "web01", name: "before upgrade" } });
            const res = await stack.up();
            assert.deepEqual(opsByName(res).cp, ["create-replacement", "replace", "delete-replaced"]);
            assert.match(res.stdout, /was removed outside Pulumi: a new checkpoint of the VM as it is now replaces it/);
            assert.deepEqual(
                chainOf(lab, "web01").map((c) => c.name),
                ["before upgrade"],
            );
        });
    });

    it("taken again after removal, it lands at the end of the chain, and refresh and up say so", async () => {
        const { lab, stack } = env;
        const chain = {
            a: { vmName: "web01", name: "a" },
            b: { vmName: "web01", name: "b", dependsOnCheckpoint: "a" },
            c: { vmName: "web01", name: "c", dependsOnCheckpoint: "b" },
        };
        await declare(chain);
        const outs = (await stack.up()).outputs.checkpointOutputs as Record<string, CheckpointOut>;
        assert.deepEqual(
            chainOf(lab, "web01").map((c) => c.name),
            ["a", "b", "c"],
        );
        await removeLabCheckpoint(lab, { name: "web01" }, { id: outs.b!.id });
        const refreshed = await stack.refresh();
        assert.match(
            refreshed.stdout,
            /checkpoint "b" .* was removed outside Pulumi: .*the new one lands at the end of the VM's chain, after "c" \(taken since\)/,
        );
        const res = await stack.up();
        assert.match(
            res.stdout,
            /checkpoint "b" .* was removed outside Pulumi: .*It lands at the end of the VM's chain, after any checkpoint taken since the old one/,
        );
        const after = chainOf(lab, "web01");
        assert.deepEqual(
            after.map((c) => c.name),
            ["a", "c", "b"],
            "b now follows c, which dependsOn it",
        );
        assert.equal(after[2]!.parentId, after[1]!.id);
    });
});

describe("a production checkpoint that fell back to standard with memory, through the Pulumi engine", function () {
    this.timeout(300_000);
    const env = useDeclaredStack([{ name: "app01", state: "Running", version: "9.0", checkpointType: "Production", guestBackupResponding: false }]);

    it("warns on the resource, not only in the fellBack output", async () => {
        await env.stack.stack.setAllConfig({ "e2e:checkpoints": { value: JSON.stringify({ cp: { vmName: "app01", name: "before patch" } }) } });
        const res = await env.stack.up();
        assert.equal((res.outputs.checkpointOutputs as Record<string, { fellBack: boolean }>).cp!.fellBack, true);
        assert.match(
            res.stdout,
            /Checkpoint \(cp\):\n\s+warning: VM "app01" \([0-9a-f-]+\): asked for a production checkpoint, Hyper-V made a standard one with memory state instead \(the guest's backup service does not answer.*?\): applying "before patch" .* brings the VM back Saved, .*set fallbackToStandard: false on the VM's policy or give the checkpoint type: "productionOnly"/,
        );
    });
});
