import * as assert from "node:assert/strict";
import { checkpointProvider, policyProvider } from "../../provider";
import { forgetPreview } from "../../provider/root";
import { create, failsWith, journalText, hostOf, recordHostCalls, labWith, removeLabs, type Props, type Provider } from "./helpers";

/** The engine's check as the SDK resources call it: with the hidden preview flag. */
async function check(provider: Provider, news: Props, preview: boolean, olds: Props = {}) {
    return provider.check!(olds, { ...news, __hvcpPreview: preview });
}

/** What `work` writes to stderr (where the provider's warnings go). */
async function stderrOf(work: () => Promise<unknown>): Promise<string> {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
        written.push(String(chunk));
        return true;
    }) as typeof process.stderr.write;
    try {
        await work();
    } finally {
        process.stderr.write = write;
    }
    return written.join("");
}

describe("preview's check predicts from one host read per VM", () => {
    beforeEach(forgetPreview);
    afterEach(() => {
        forgetPreview();
        removeLabs();
    });

    it("N resources of one VM cost one read; N VMs cost N reads; nothing changes on the host", async () => {
        const vms = ["vm1", "vm2", "vm3", "vm4"];
        const lab = await labWith(vms.map((name) => ({ name, state: "Running" as const, checkpointType: "Production" as const })));
        const before = journalText(lab);
        const methods = recordHostCalls();
        await Promise.all([
            check(policyProvider, { vmName: "vm1", type: "standard" }, true),
            ...Array.from({ length: 10 }, (_, i) => check(checkpointProvider, { vmName: "vm1", name: `cp${i}` }, true)),
        ]);
        assert.deepEqual(methods, ["getVmWithCheckpoints"], "11 resources of one VM: one read");
        methods.length = 0;
        forgetPreview();
        await Promise.all(
            vms.flatMap((vm) => [
                check(policyProvider, { vmName: vm, type: "production" }, true),
                check(checkpointProvider, { vmName: vm, name: "a" }, true),
                check(checkpointProvider, { vmName: vm, name: "b" }, true),
            ]),
        );
        assert.deepEqual(
            methods,
            vms.map(() => "getVmWithCheckpoints"),
            "4 VMs with 3 resources each: 4 reads",
        );
        assert.equal(journalText(lab), before);
    });

    it("removes the hidden flag from the inputs it returns, in preview and in up", async () => {
        await labWith([{ name: "vm1", state: "Running", checkpointType: "Production" }]);
        for (const preview of [true, false]) {
            const result = await check(checkpointProvider, { vmName: "vm1", name: "a" }, preview);
            assert.deepEqual(result.inputs, { vmName: "vm1", name: "a" });
            const policy = await check(policyProvider, { vmName: "vm1", type: "standard" }, preview);
            assert.deepEqual(policy.inputs, { vmName: "vm1", type: "standard" });
        }
    });

    it("in up, check asks the host nothing, even for a declaration the host will refuse", async () => {
        await labWith([{ name: "vm1", state: "Running", checkpointType: "Disabled", version: "5.0" }]);
        const methods = recordHostCalls();
        await check(policyProvider, { vmName: "vm1", type: "production", fallbackToStandard: false }, false);
        await check(checkpointProvider, { vmName: "vm1", name: "a" }, false);
        await check(checkpointProvider, { vmName: "missing", name: "a" }, false);
        assert.deepEqual(methods, []);
    });

    it("in preview, refuses what up refuses and only warns about what may change", async () => {
        await labWith([
            { name: "off", state: "Running", checkpointType: "Disabled" },
            { name: "busy", state: "Starting", checkpointType: "Production" },
        ]);
        // Check failures, which the engine shows once, on the resource, with no stack trace.
        const disabled = await check(checkpointProvider, { vmName: "off", name: "a" }, true);
        assert.equal(disabled.failures?.length, 1);
        assert.equal(disabled.failures![0]!.property, "");
        assert.match(disabled.failures![0]!.reason, /^take checkpoint would fail on .*the VM's checkpoint policy is Disabled/);
        const missing = await check(checkpointProvider, { vmName: "nowhere", name: "a" }, true);
        assert.deepEqual(
            missing.failures?.map((f) => f.property),
            ["vmName"],
        );
        assert.match(missing.failures![0]!.reason, /^take checkpoint would fail on .*nowhere/);
        const result = await check(checkpointProvider, { vmName: "busy", name: "a" }, true);
        assert.deepEqual(result.inputs, { vmName: "busy", name: "a" });
        // A policy of this preview that re-enables checkpoints counts.
        forgetPreview();
        await check(policyProvider, { vmName: "off", disabled: false }, true);
        assert.deepEqual((await check(checkpointProvider, { vmName: "off", name: "a" }, true)).failures ?? [], []);
    });

    it("in preview, a policy of the stack that disables an enabled VM makes its new checkpoints a warning (up refuses only if the policy applies first)", async () => {
        await labWith([{ name: "vm1", state: "Running", checkpointType: "Production" }]);
        await check(policyProvider, { vmName: "vm1", disabled: true }, true);
        const written = await stderrOf(() => check(checkpointProvider, { vmName: "vm1", name: "a" }, true));
        assert.match(
            written,
            /warning: hyperv-checkpoints: take checkpoint would fail on .*the VM's checkpoint policy is Disabled.*the stack's VmCheckpointPolicy disables it/,
        );
    });

    it("in preview, a file location that must wait for the VM's checkpoints warns with up's words instead of failing", async () => {
        const lab = await labWith([{ name: "vm1", state: "Running", checkpointType: "Production" }]);
        await hostOf().takeCheckpoint({ name: "vm1" }, { name: "keep" });
        const before = journalText(lab);
        const written = await stderrOf(async () => {
            const result = await check(policyProvider, { vmName: "vm1", fileLocation: "D:\\Moved" }, true);
            assert.deepEqual(result.failures ?? [], []);
        });
        assert.match(written, /warning: hyperv-checkpoints: VM "vm1" .*fileLocation stays .* for now, everything else was applied.*1 checkpoint\(s\): "keep"/);
        assert.equal(journalText(lab), before);
    });
});

describe("the take limits a policy declares reach its VM's checkpoints as their policyLimits input", () => {
    beforeEach(forgetPreview);
    afterEach(() => {
        forgetPreview();
        removeLabs();
    });

    it("preview counts the checkpoints it takes first toward the policy's maxChainDepth; a checkpoint's own limit wins", async () => {
        const lab = await labWith([{ name: "web01", state: "Off" }]);
        const before = journalText(lab);
        const policyLimits = { maxChainDepth: 2 };
        assert.deepEqual((await check(checkpointProvider, { vmName: "web01", name: "a", policyLimits }, true)).failures ?? [], []);
        assert.deepEqual((await check(checkpointProvider, { vmName: "web01", name: "b", policyLimits }, true)).failures ?? [], []);
        const third = (await check(checkpointProvider, { vmName: "web01", name: "c", policyLimits }, true)).failures ?? [];
        assert.equal(third.length, 1);
        assert.match(third[0]!.reason, /take checkpoint would fail .*chain of 3 differencing disks, and maxChainDepth is 2/);
        assert.deepEqual((await check(checkpointProvider, { vmName: "web01", name: "c", maxChainDepth: 3, policyLimits }, true)).failures ?? [], []);
        assert.equal(journalText(lab), before);
    });

    it("refuses a take past them in a provider process where no policy was checked (up --target of the checkpoint, the policy in another stack)", async () => {
        const lab = await labWith([{ name: "web01", state: "Off" }]);
        await hostOf().takeCheckpoint({ name: "web01" }, { name: "first" });
        const before = journalText(lab);
        await failsWith(
            () => create(checkpointProvider, { vmName: "web01", name: "second", policyLimits: { maxChainDepth: 1 } }),
            /chain of 2 differencing disks, and maxChainDepth is 1/,
        );
        assert.equal(journalText(lab), before);
        // minFreeSpace as the policy passes it: 1 TiB kept free on a volume that has less.
        await failsWith(
            () => create(checkpointProvider, { vmName: "web01", name: "second", policyLimits: { minFreeSpace: 2 ** 40 } }),
            /minFreeSpace \(1099511627776\) keeps/,
        );
        assert.equal(journalText(lab), before);
    });
});
