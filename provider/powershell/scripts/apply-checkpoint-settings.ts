import type { OperationScript } from "./render";

/**
 * Input: { vm: { id } or { name } } and the DesiredCheckpointSettings, absent fields as null. One
 * round trip: read the VM, work out what differs (Get-HvcpSettingsChange, generated from the
 * provider's settingsChange), refuse before the first write in the port's order (production-only
 * on a version that never can, a missing backup service, a Set-VM parameter the host lacks, a
 * file location locked by checkpoints, a VM starting, stopping or saving when there is something to
 * write), then one Set-VM with only the differing parameters (none: no call) and
 * Enable-VMIntegrationService only if it is off.
 */
export const applyCheckpointSettingsScript: OperationScript = {
    operation: "apply checkpoint settings",
    body: String.raw`
# The port's field names, as Set-VM's parameters.
$parameters = @{ checkpointType = 'CheckpointType'; checkpointFileLocation = 'SnapshotFileLocation'; automaticCheckpointsEnabled = 'AutomaticCheckpointsEnabled' }

function Assert-HvcpSetVmParameter([string]$Parameter) {
    if (-not (Get-Command -Name Hyper-V\Set-VM).Parameters.ContainsKey($Parameter)) {
        Stop-Hvcp $HvcpErrorIds.UnsupportedByHost 'InvalidArgument' ('A parameter cannot be found that matches parameter name ''{0}''.' -f $Parameter) $Parameter
    }
}

$vm = Get-HvcpVm -Id ([string]$HvcpInput.vm.id) -Name ([string]$HvcpInput.vm.name)
$before = ConvertTo-HvcpVm $vm
$checkpointCount = @(Hyper-V\Get-VMSnapshot -VM $vm).Count
$change = Get-HvcpSettingsChange $before $HvcpInput $checkpointCount

if ($change.checkpointType -ceq 'ProductionOnly' -and $HvcpInput.refuseImpossibleProductionOnly) {
    $blocker = Get-HvcpProductionBlocker $before -PermanentOnly
    if ($blocker) {
        Stop-Hvcp $HvcpErrorIds.ProductionUnavailable 'InvalidOperation' ('Production checkpoints cannot be created: {0}.' -f $blocker) $vm.Id.ToString()
    }
}
$service = $null
if ($HvcpInput.enableBackupIntegration) {
    $service = Get-HvcpBackupService $vm
    if ($null -eq $service) {
        Stop-Hvcp $HvcpErrorIds.BackupServiceMissing 'ObjectNotFound' 'The virtual machine has no backup (volume shadow copy) integration service.' $vm.Id.ToString()
    }
}
$setVm = @{}
foreach ($field in $change.Keys) {
    Assert-HvcpSetVmParameter $parameters[$field]
    $setVm[$parameters[$field]] = $change[$field]
}
if ($change.Contains('checkpointFileLocation') -and $checkpointCount -gt 0) {
    Stop-Hvcp $HvcpErrorIds.FileLocationLocked 'InvalidOperation' ('The checkpoint file location cannot change while the virtual machine has {0} checkpoint(s).' -f $checkpointCount) $vm.Id.ToString()
}

$enable = $null -ne $service -and -not $service.Enabled
if ($setVm.Count -gt 0 -or $enable) {
    Assert-HvcpSteadyState $vm
}

if ($setVm.Count -gt 0) {
    Hyper-V\Set-VM -VM $vm @setVm
}
if ($enable) {
    Hyper-V\Enable-VMIntegrationService -VMIntegrationService $service
}
$HvcpResult = [ordered]@{
    before = $before
    after = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString())
    checkpointCount = $checkpointCount
    storage = ConvertTo-HvcpStorage $vm
}
`,
};
