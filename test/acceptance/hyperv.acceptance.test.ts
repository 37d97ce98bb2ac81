import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { isHostError } from "../../provider/host/errors";
import { createPowerShellHost, type PowerShellHost, type PowerShellTargetInput } from "../../provider/powershell";
import { renderScript, type OperationScript } from "../../provider/powershell/scripts";
import { leaseSession } from "../../provider/powershell/sessions";
import { powerShellTargetSchema } from "../../provider/powershell/target";
import { checkpointOf, checkpointsOf } from "../host/reads";

/**
 * End to end against a real Hyper-V host, when HYPERV_TEST_HOST is set:
 *   HYPERV_TEST_HOST       "local" (run on the Hyper-V host itself) or the host's name
 *   HYPERV_TEST_TRANSPORT  "ssh" (default for a remote host) or "winrm"
 *   HYPERV_TEST_USER       remote user;  HYPERV_TEST_KEY_FILE  SSH private key
 *   HYPERV_TEST_PASSWORD   WinRM password;  HYPERV_TEST_SHELL  pwsh, powershell or a path
 *   HYPERV_TEST_VM_PATH    folder for the throw-away VM (default: the host's default)
 * It creates a throw-away VM with no disk through the same session, exercises the settings and
 * checkpoints, and removes the VM afterwards.
 */
function targetFromEnvironment(): PowerShellTargetInput | null {
    const host = process.env.HYPERV_TEST_HOST;
    if (!host) return null;
    const shell = process.env.HYPERV_TEST_SHELL ? { shell: process.env.HYPERV_TEST_SHELL } : {};
    if (host === "local") return { kind: "local", ...shell };
    if (process.env.HYPERV_TEST_TRANSPORT === "winrm") {
        return { kind: "winrm", computerName: host, userName: process.env.HYPERV_TEST_USER, password: process.env.HYPERV_TEST_PASSWORD, ...shell };
    }
    return { kind: "ssh", host, userName: process.env.HYPERV_TEST_USER ?? "", keyFilePath: process.env.HYPERV_TEST_KEY_FILE, ...shell };
}

/** Test-only scripts: create and delete the throw-away VM, with the same one-parameter discipline. */
const newVmScript: OperationScript = {
    operation: "create test VM",
    body: String.raw`
$parameters = @{ Name = [string]$HvcpInput.name; Generation = 2; MemoryStartupBytes = 512MB; NoVHD = $true }
if ($HvcpInput.path) { $parameters.Path = [string]$HvcpInput.path }
$vm = Hyper-V\New-VM @parameters
$HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm $vm }
`,
};
const removeVmScript: OperationScript = {
    operation: "delete test VM",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
Hyper-V\Get-VMSnapshot -VM $vm | Hyper-V\Remove-VMSnapshot -Confirm:$false
Hyper-V\Remove-VM -VM $vm -Force
$HvcpResult = [ordered]@{ removed = [string]$HvcpInput.vmId }
`,
};

describe("acceptance: a real Hyper-V host through PowerShell", function () {
    this.timeout(600_000);
    const target = targetFromEnvironment();
    let host: PowerShellHost;
    let lease: ReturnType<typeof leaseSession>;
    let vmId = "";
    const vmName = `hvcp-acceptance-${randomUUID().slice(0, 8)} [it's *]`;

    before(async function () {
        if (!target) {
            console.log(
                "    acceptance suite skipped: set HYPERV_TEST_HOST (and HYPERV_TEST_USER, HYPERV_TEST_KEY_FILE, ...) to run it against a Hyper-V host",
            );
            this.skip();
        }
        const settings = powerShellTargetSchema.parse(target);
        host = createPowerShellHost(settings);
        lease = leaseSession(settings);
        const created = JSON.parse(
            await lease.invoke(renderScript(newVmScript, { name: vmName, path: process.env.HYPERV_TEST_VM_PATH ?? null }), {
                operation: "create test VM",
                readOnly: false,
            }),
        );
        assert.ok(created.ok, JSON.stringify(created));
        vmId = created.ok.vm.id;
    });

    after(async () => {
        if (!target) return;
        if (vmId) await lease.invoke(renderScript(removeVmScript, { vmId }), { operation: "delete test VM", readOnly: false });
        await lease.dispose();
        await host.dispose();
    });

    it("reads the host's capabilities", async () => {
        const caps = await host.capabilities();
        assert.ok(caps.osBuild >= 9600);
        assert.match(caps.psEdition, /^(Desktop|Core)$/);
    });

    it("finds the VM by its name literally, wildcard characters and quote included", async () => {
        const vm = await host.getVm({ name: vmName });
        assert.equal(vm.id, vmId);
        assert.equal(vm.state, "Off");
    });

    it("applies only the checkpoint settings that differ, and reads the VM before and after", async () => {
        const caps = await host.capabilities();
        if (!caps.supportsCheckpointType) return;
        const applied = await host.applyCheckpointSettings({ id: vmId }, { checkpointType: "Standard" });
        assert.equal(applied.after.checkpointType, "Standard");
        assert.equal(applied.checkpointCount, 0);
        const location = applied.after.checkpointFileLocation;
        const again = await host.applyCheckpointSettings(
            { name: vmName },
            { checkpointType: "Production", checkpointFileLocation: `${location.toUpperCase()}\\` },
        );
        assert.equal(again.before.checkpointType, "Standard");
        assert.equal(again.after.checkpointType, "Production");
        assert.equal(again.after.checkpointFileLocation, location, "the same location in other case is no change");
    });

    it("takes, reads, renames, applies and removes checkpoints by id", async () => {
        const first = await host.takeCheckpoint({ id: vmId }, { name: "first 'one' $(x)" });
        assert.equal(first.checkpoint.name, "first 'one' $(x)");
        assert.equal(first.kind, "production", "an Off VM gets a consistent, disk-only checkpoint");
        assert.equal(first.vm.id, vmId);
        assert.deepEqual(first.namesakes, []);
        const second = await host.takeCheckpoint({ name: vmName }, { name: "second", temporaryType: "Standard" });
        assert.equal(second.checkpoint.parentId, first.checkpoint.id);
        assert.equal(second.vm.parentCheckpointId, first.checkpoint.id, "the VM as read before the checkpoint");
        const after = await host.getVm({ id: vmId });
        assert.equal(after.checkpointType, "Production", "the temporary type was switched back");
        const listed = await checkpointsOf(host, vmId);
        assert.deepEqual(
            listed.map((c) => c.id),
            [first.checkpoint.id, second.checkpoint.id],
        );
        const renamed = await host.renameCheckpoint(vmId, second.checkpoint.id, "第二 checkpoint");
        assert.equal(renamed.name, "第二 checkpoint");
        const applied = await host.applyCheckpoint(vmId, first.checkpoint.id);
        assert.equal(applied.parentCheckpointId, first.checkpoint.id);
        await host.removeCheckpoint(vmId, second.checkpoint.id);
        await assert.rejects(checkpointOf(host, vmId, second.checkpoint.id), (e: unknown) => isHostError(e, "CheckpointNotFound"));
        const { checkpoints } = await host.getVmWithCheckpoints({ id: vmId });
        assert.deepEqual(
            checkpoints.map((c) => c.id),
            [first.checkpoint.id],
        );
    });

    it("refuses a checkpoint while checkpoints are disabled, and leaves the policy alone", async () => {
        const caps = await host.capabilities();
        if (!caps.supportsCheckpointType) return;
        await host.applyCheckpointSettings({ id: vmId }, { checkpointType: "Disabled" });
        await assert.rejects(host.takeCheckpoint({ id: vmId }, { name: "nope", temporaryType: "Standard" }), (e: unknown) =>
            isHostError(e, "CheckpointsDisabled"),
        );
        assert.equal((await host.getVm({ id: vmId })).checkpointType, "Disabled");
        const reenabled = await host.applyCheckpointSettings({ id: vmId }, { reenableCheckpoints: true });
        assert.equal(reenabled.after.checkpointType, "Production");
    });

    it("reports the checkpoints that already had a name", async () => {
        const one = await host.takeCheckpoint({ id: vmId }, { name: "twice" });
        const two = await host.takeCheckpoint({ id: vmId }, { name: "twice" });
        assert.deepEqual(
            two.namesakes.map((c) => c.id),
            [one.checkpoint.id],
        );
        await host.removeCheckpoint(vmId, two.checkpoint.id);
        await host.removeCheckpoint(vmId, one.checkpoint.id);
    });

    it("refuses to move the file location of a VM with checkpoints, or keeps it when asked to", async () => {
        const taken = await host.takeCheckpoint({ id: vmId }, { name: "pin" });
        const elsewhere = `${taken.vm.checkpointFileLocation}\\elsewhere`;
        await assert.rejects(host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: elsewhere }), (e: unknown) =>
            isHostError(e, "FileLocationLocked"),
        );
        const kept = await host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: elsewhere, fileLocationWhileCheckpointed: "keep" });
        assert.equal(kept.after.checkpointFileLocation, taken.vm.checkpointFileLocation);
        await host.removeCheckpoint(vmId, taken.checkpoint.id);
    });

    it("reports a missing VM as VmNotFound", async () => {
        await assert.rejects(host.getVm({ name: `missing-${randomUUID()}` }), (e: unknown) => isHostError(e, "VmNotFound"));
    });
});
