import type { OperationScript } from "./render";

/** Input: { vmId, checkpointId, start }. Restore-VMSnapshot is ConfirmImpact High: -Confirm:$false. */
export const applyCheckpointScript: OperationScript = {
    operation: "apply checkpoint",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
Assert-HvcpSteadyState $vm
$checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
Hyper-V\Restore-VMSnapshot -VMSnapshot $checkpoint -Confirm:$false
if ($HvcpInput.start) {
    $restored = Get-HvcpVm -Id $vm.Id.ToString()
    if ($restored.State.ToString() -ne 'Running') {
        Hyper-V\Start-VM -VM $restored
    }
}
$HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString()) }
`,
};
