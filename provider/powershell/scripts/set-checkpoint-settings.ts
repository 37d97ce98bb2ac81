import type { OperationScript } from "./render";

/**
 * Input: { vmId, checkpointType?, checkpointFileLocation?, automaticCheckpointsEnabled? }; only the
 * given settings change, in one Set-VM call.
 */
export const setCheckpointSettingsScript: OperationScript = {
    operation: "set checkpoint settings",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
$supported = (Get-Command -Name Hyper-V\Set-VM).Parameters
$parameters = @{ VM = $vm }
if ($null -ne $HvcpInput.checkpointType) {
    if (-not $supported.ContainsKey('CheckpointType')) {
        Stop-Hvcp $HvcpErrorIds.UnsupportedByHost 'InvalidArgument' 'A parameter cannot be found that matches parameter name ''CheckpointType''.' 'CheckpointType'
    }
    $parameters.CheckpointType = [string]$HvcpInput.checkpointType
}
if ($null -ne $HvcpInput.automaticCheckpointsEnabled) {
    if (-not $supported.ContainsKey('AutomaticCheckpointsEnabled')) {
        Stop-Hvcp $HvcpErrorIds.UnsupportedByHost 'InvalidArgument' 'A parameter cannot be found that matches parameter name ''AutomaticCheckpointsEnabled''.' 'AutomaticCheckpointsEnabled'
    }
    $parameters.AutomaticCheckpointsEnabled = [bool]$HvcpInput.automaticCheckpointsEnabled
}
if ($null -ne $HvcpInput.checkpointFileLocation -and [string]$HvcpInput.checkpointFileLocation -ne [string]$vm.SnapshotFileLocation) {
    # The checkpoint file location can only change while the VM has no checkpoints.
    $existing = @(Hyper-V\Get-VMSnapshot -VM $vm).Count
    if ($existing -gt 0) {
        Stop-Hvcp $HvcpErrorIds.FileLocationLocked 'InvalidOperation' ('The checkpoint file location cannot change while the virtual machine has {0} checkpoint(s).' -f $existing) $vm.Id.ToString()
    }
    $parameters.SnapshotFileLocation = [string]$HvcpInput.checkpointFileLocation
}
if ($parameters.Count -gt 1) {
    Hyper-V\Set-VM @parameters
}
$HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString()) }
`,
};
