import type { OperationScript } from "./render";

/**
 * Input: { vmId, checkpointType, temporaryType, waitSeconds }. The compensation of a take
 * checkpoint under a temporary type that was cut off before its `finally` put the VM's policy
 * back. The interrupted checkpoint may still be running on the host, and Hyper-V refuses changes
 * to a VM meanwhile: retry until waitSeconds. A type that is neither is someone else's change and
 * is left alone.
 */
export const restoreCheckpointTypeScript: OperationScript = {
    operation: "restore checkpoint type",
    body: String.raw`
$policy = [string]$HvcpInput.checkpointType
$deadline = [DateTime]::UtcNow.AddSeconds([double]$HvcpInput.waitSeconds)
while ($true) {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
    $current = $vm.CheckpointType.ToString()
    if ($current -ceq $policy) { break }
    if ($current -cne [string]$HvcpInput.temporaryType) {
        Stop-Hvcp $HvcpErrorIds.HostFailure 'InvalidOperation' ('the checkpoint type is now {0}, changed by someone else meanwhile; it was left as it is' -f $current) $vm.Id.ToString()
    }
    try {
        Hyper-V\Set-VM -VM $vm -CheckpointType $policy
        break
    } catch {
        if ([DateTime]::UtcNow -gt $deadline) { throw }
        Start-Sleep -Seconds 1
    }
}
$HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm (Get-HvcpVm -Id ([string]$HvcpInput.vmId)) }
`,
};
