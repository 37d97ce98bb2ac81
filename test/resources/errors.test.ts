import * as assert from "node:assert/strict";
import { checkpointProvider, configure, policyProvider } from "../../provider";
import { isHostError } from "../../provider/host";
import { takeCheckpointOutOfBand } from "../../provider/lab";
import { create, escapeRegExp, failsWith, labVm, labWith, removeLabs, update } from "./helpers";

/*
 * What a user sees when an operation fails: one line naming what failed, on which host, VM and
 * checkpoint, why, and what to do (execa's style, see style.md).
 */
describe("resource errors reach the user as one readable line", () => {
    afterEach(removeLabs);

    it("a refused production-only checkpoint: operation, host, VM, checkpoint, why, what to do", async () => {
        const lab = await labWith([{ name: "web01", state: "Saved", checkpointType: "ProductionOnly" }]);
        const id = lab.vms.web01!.id;
        const message = await failsWith(() => create(checkpointProvider, { vmName: "web01", name: "before upgrade" }));
        assert.match(
            message,
            new RegExp(
                `^take checkpoint failed on host lab ${escapeRegExp(lab.folder)}, VM "web01" \\(${id}\\), checkpoint "before upgrade": ` +
                    "a production-only checkpoint cannot be made now: the VM is Saved; [^\\n]+\\. " +
                    'The VM\'s VmCheckpointPolicy is production-only \\(fallbackToStandard: false\\): give this Checkpoint type: "production" or "standard", set fallbackToStandard: true on the policy, or fix the reason given\\.$',
            ),
        );
    });

    it("a refused policy: operation, host, VM, why, what to do", async () => {
        const lab = await labWith([{ name: "web01", state: "Running" }]);
        await takeCheckpointOutOfBand(lab.folder, { name: "web01" }, { name: "keep" });
        const id = lab.vms.web01!.id;
        const state = await create(policyProvider, { vmName: "web01", fileLocation: "D:\\cp" });
        const message = await failsWith(() => update(policyProvider, state, { vmName: "web01", fileLocation: "D:\\cp" }));
        assert.match(
            message,
            new RegExp(
                `^apply checkpoint settings failed on host lab ${escapeRegExp(lab.folder)}, VM "web01" \\(${id}\\): ` +
                    'fileLocation cannot change from [^ ]+ to D:\\\\cp while the VM has 1 checkpoint\\(s\\): "keep"; it was deferred on the last `up` in case that `up` deleted them, and they are still there\\. ' +
                    "Delete or merge those checkpoints first \\(remove their Checkpoint resources, or Remove-VMSnapshot\\), or keep the current fileLocation\\.$",
            ),
        );
    });

    it("a VM that does not exist: the host, the name and where to look", async () => {
        const lab = await labWith([{ name: "web01" }]);
        const message = await failsWith(() => create(checkpointProvider, { vmName: "db01", name: "x" }));
        assert.match(
            message,
            new RegExp(
                `^take checkpoint failed on host lab ${escapeRegExp(lab.folder)}: .*"db01".*\\. Check the VM's name or id: \`npx hyperv-lab --lab ${escapeRegExp(lab.folder)} show\` lists the lab's VMs\\.$`,
            ),
        );
    });

    it("a Japanese host's message still comes with the host, VM and an English fix", async () => {
        await labWith([{ name: "web01", state: "Starting" }], { language: "ja-JP" });
        const message = await failsWith(() => create(checkpointProvider, { vmName: "web01", name: "x" }));
        assert.match(message, /^take checkpoint failed on host lab .*, VM "web01"/);
        assert.match(message, /Wait until the VM has finished starting, stopping or saving, then retry\.$/);
        assert.doesNotMatch(message, /\n/);
    });

    it("a resource's own host override works without stack configuration", async () => {
        const lab = await labWith([{ name: "web01", state: "Running", checkpointType: "Production" }]);
        configure({ get: () => undefined });
        const state = await create(policyProvider, { vmName: "web01", type: "standard", host: `lab:${lab.folder}` });
        assert.equal(labVm(lab, "web01").checkpointType, "Standard");
        await update(policyProvider, state, { vmName: "web01", type: "production", host: `lab:${lab.folder}` });
        assert.equal(labVm(lab, "web01").checkpointType, "Production");
    });

    it("an invalid host override names the address forms", async () => {
        await labWith([{ name: "web01" }]);
        await failsWith(
            () => create(checkpointProvider, { vmName: "web01", name: "x", host: "hyperv01" }),
            /invalid host: "hyperv01" is not a host address: use lab:<folder>, local, ssh:\/\/user@host\[:port\] or winrm:\/\/host/,
        );
    });

    it("a lab folder that holds no lab says so", async () => {
        await labWith([{ name: "web01" }]);
        const message = await failsWith(() => create(checkpointProvider, { vmName: "web01", name: "x", host: "lab:/nonexistent/hyperv-lab" }));
        assert.match(message, /there is no Hyper-V lab in \/nonexistent\/hyperv-lab .* Create one with `hyperv-lab init --lab \/nonexistent\/hyperv-lab`/);
        assert.doesNotMatch(message, /\n/);
    });

    it("a refusal explained in the declaration's terms keeps the host's own refusal as its cause", async () => {
        await labWith([{ name: "web01", state: "Saved", checkpointType: "ProductionOnly" }]);
        const error = await create(checkpointProvider, { vmName: "web01", name: "before upgrade" }).then(
            () => assert.fail("expected the take to be refused"),
            (e: unknown) => e,
        );
        assert.ok(isHostError(error, "ProductionUnavailable"), String(error));
        assert.match(error.message, /fallbackToStandard: true on the policy/);
        assert.ok(isHostError(error.cause, "ProductionUnavailable"), `the host's refusal is the cause: ${String(error.cause)}`);
        assert.doesNotMatch(error.cause.message, /fallbackToStandard/, "the cause is in the host's words, not ours");
    });
});
