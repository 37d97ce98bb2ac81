import type { OperationScript } from "./render";

/**
 * Input: { vm: { id } or { name } } and the DesiredCheckpointSettings, absent fields as null. The
 * lab's applyDesiredSettings in PowerShell, in one round trip: read the VM, work out what differs
 * (file locations without case and trailing backslash), refuse before the first write in the lab's
 * order (production-only on a version that never can, a missing backup service, a Set-VM
 * parameter the host lacks, a file location locked by checkpoints), then one Set-VM with only the
 * differing parameters (none: no call) and Enable-VMIntegrationService only if it is off.
 */
export const applyCheckpointSettingsScript: OperationScript = {
    operation: "apply checkpoint settings",
    body: String.raw`
function Test-HvcpSamePath([string]$A, [string]$B) {
    [string]::Equals($A.TrimEnd('\'), $B.TrimEnd('\'), [System.StringComparison]::OrdinalIgnoreCase)
}

function Assert-HvcpSetVmParameter([string]$Parameter) {
    if (-not (Get-Command -Name Hyper-V\Set-VM).Parameters.ContainsKey($Parameter)) {
        Stop-Hvcp $HvcpErrorIds.UnsupportedByHost 'InvalidArgument' ('A parameter cannot be found that matches parameter name ''{0}''.' -f $Parameter) $Parameter
    }
}

$vm = Get-HvcpVm -Id ([string]$HvcpInput.vm.id) -Name ([string]$HvcpInput.vm.name)
$before = ConvertTo-HvcpVm $vm
$checkpointCount = @(Hyper-V\Get-VMSnapshot -VM $vm).Count
$change = @{}
$type = [string]$HvcpInput.checkpointType
if (-not $type -and $HvcpInput.reenableCheckpoints -and $before.checkpointType -ceq 'Disabled') {
    $type = 'Production'
}
if ($type -and $type -cne $before.checkpointType) {
    $change.CheckpointType = $type
}
$keepLocation = $checkpointCount -gt 0 -and [string]$HvcpInput.fileLocationWhileCheckpointed -eq 'keep'
$location = $HvcpInput.checkpointFileLocation
if ($null -ne $location -and -not (Test-HvcpSamePath ([string]$location) $before.checkpointFileLocation) -and -not $keepLocation) {
    $change.SnapshotFileLocation = [string]$location
}
$automatic = $HvcpInput.automaticCheckpointsEnabled
if ($null -ne $automatic -and ($null -eq $before.automaticCheckpointsEnabled -or [bool]$automatic -ne $before.automaticCheckpointsEnabled)) {
    $change.AutomaticCheckpointsEnabled = [bool]$automatic
}

if ($change.CheckpointType -ceq 'ProductionOnly' -and $HvcpInput.refuseImpossibleProductionOnly -and [version]$before.version -lt [version]$HvcpMinProductionVersion) {
    Stop-Hvcp $HvcpErrorIds.ProductionUnavailable 'InvalidOperation' ('Production checkpoints cannot be created: configuration version {0} is below {1}; upgrade it with Update-VMVersion.' -f $before.version, $HvcpMinProductionVersion) $vm.Id.ToString()
}
$service = $null
if ($HvcpInput.enableBackupIntegration) {
    $service = Get-HvcpBackupService $vm
    if ($null -eq $service) {
        Stop-Hvcp $HvcpErrorIds.BackupServiceMissing 'ObjectNotFound' 'The virtual machine has no backup (volume shadow copy) integration service.' $vm.Id.ToString()
    }
}
if ($change.ContainsKey('CheckpointType')) { Assert-HvcpSetVmParameter 'CheckpointType' }
if ($change.ContainsKey('AutomaticCheckpointsEnabled')) { Assert-HvcpSetVmParameter 'AutomaticCheckpointsEnabled' }
if ($change.ContainsKey('SnapshotFileLocation') -and $checkpointCount -gt 0) {
    Stop-Hvcp $HvcpErrorIds.FileLocationLocked 'InvalidOperation' ('The checkpoint file location cannot change while the virtual machine has {0} checkpoint(s).' -f $checkpointCount) $vm.Id.ToString()
}

if ($change.Count -gt 0) {
    Hyper-V\Set-VM -VM $vm @change
}
if ($null -ne $service -and -not $service.Enabled) {
    Hyper-V\Enable-VMIntegrationService -VMIntegrationService $service
}
$HvcpResult = [ordered]@{
    before = $before
    after = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString())
    checkpointCount = $checkpointCount
}
`,
};
