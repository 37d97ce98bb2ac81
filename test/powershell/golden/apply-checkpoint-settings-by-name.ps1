# hyperv-checkpoints: apply checkpoint settings
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne 'ce72dba10b58aa7b') { return '{"preludeMissing":"ce72dba10b58aa7b"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bSI6eyJuYW1lIjoifndlYi0wMSJ9LCJjaGVja3BvaW50VHlwZSI6In5Qcm9kdWN0aW9uT25seSIsImNoZWNrcG9pbnRGaWxlTG9jYXRpb24iOiJ+QzpcXEh5cGVyLVZcXENoZWNrcG9pbnRzIiwiYXV0b21hdGljQ2hlY2twb2ludHNFbmFibGVkIjpmYWxzZSwicmVlbmFibGVDaGVja3BvaW50cyI6dHJ1ZSwiZmlsZUxvY2F0aW9uV2hpbGVDaGVja3BvaW50ZWQiOiJ+a2VlcCIsImVuYWJsZUJhY2t1cEludGVncmF0aW9uIjp0cnVlLCJyZWZ1c2VJbXBvc3NpYmxlUHJvZHVjdGlvbk9ubHkiOnRydWV9'))))
$HvcpResult = $null
try {
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
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
