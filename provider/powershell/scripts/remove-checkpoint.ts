import type { OperationScript } from "./render";

/** Input: { vmId, checkpointId }. Merges the differencing disks; children are re-parented. */
export const removeCheckpointScript: OperationScript = {
    operation: "remove checkpoint",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
Assert-HvcpSteadyState $vm
$checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
Hyper-V\Remove-VMSnapshot -VMSnapshot $checkpoint -Confirm:$false
# The merge the removal started runs on in the background: read it now, in the same round trip.
$HvcpResult = [ordered]@{ removed = $checkpoint.Id.ToString(); merge = Get-HvcpMerge (Get-HvcpVm -Id ([string]$HvcpInput.vmId)) }
`,
};
