import type { OperationScript } from "./render";

/**
 * Input: { vmId, checkpointId }. Merges the differencing disks; children are re-parented. A VM
 * whose disk merging is disabled is refused first, with the words of host/merge-outcome.ts: the
 * merge would never come, and nothing is removed.
 */
export const removeCheckpointScript: OperationScript = {
    operation: "remove checkpoint",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
Assert-HvcpSteadyState $vm
$checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
if (-not (Test-HvcpDiskMergeEnabled $vm)) {
    Stop-Hvcp $HvcpErrorIds.MergeDisabled 'InvalidOperation' $HvcpMergeDisabledWords $vm.Id.ToString()
}
$removedAt = [datetime]::UtcNow
Hyper-V\Remove-VMSnapshot -VMSnapshot $checkpoint -Confirm:$false
# The merge the removal started runs on in the background (or failed already): read it now, in the same round trip.
$merges = Get-HvcpMergeState (Get-HvcpVm -Id ([string]$HvcpInput.vmId)) $true $removedAt
$HvcpResult = [ordered]@{ removed = $checkpoint.Id.ToString(); merge = $merges.merge; mergeFailure = $merges.failure }
`,
};
