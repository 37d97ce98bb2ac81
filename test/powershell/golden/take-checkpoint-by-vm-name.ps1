# hyperv-checkpoints: take checkpoint
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne 'ce72dba10b58aa7b') { return '{"preludeMissing":"ce72dba10b58aa7b"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bSI6eyJuYW1lIjoifndlYi0wMSJ9LCJuYW1lIjoifm5pZ2h0bHkiLCJ0ZW1wb3JhcnlUeXBlIjpudWxsfQ=='))))
$HvcpResult = $null
try {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.vm.id) -Name ([string]$HvcpInput.vm.name)
    $checkpointName = [string]$HvcpInput.name
    $before = ConvertTo-HvcpVm $vm
    $policy = $before.checkpointType
    $requested = [string]$HvcpInput.temporaryType
    $typeUsed = if ($requested) { $requested } else { $policy }
    $existing = @(Hyper-V\Get-VMSnapshot -VM $vm)
    Assert-HvcpSteadyState $vm
    if ($requested -and $null -eq $policy) {
        Stop-Hvcp $HvcpErrorIds.UnsupportedByHost 'InvalidArgument' 'A parameter cannot be found that matches parameter name ''CheckpointType''.' 'CheckpointType'
    }
    if ($policy -eq 'Disabled') {
        Stop-Hvcp $HvcpErrorIds.CheckpointsDisabled 'InvalidOperation' 'Checkpoint operation failed. Checkpoints have been disabled.' $vm.Id.ToString()
    }
    if ($typeUsed -eq 'ProductionOnly' -and $before.state -ne 'Off') {
        $blocker = Get-HvcpProductionBlocker $before
        if ($blocker) {
            Stop-Hvcp $HvcpErrorIds.ProductionUnavailable 'InvalidOperation' ('Checkpoint operation failed. Production checkpoints cannot be created: {0}.' -f $blocker) $vm.Id.ToString()
        }
    }
    if ($existing.Count -ge $HvcpMaxCheckpoints) {
        Stop-Hvcp $HvcpErrorIds.CheckpointLimit 'LimitsExceeded' ('The virtual machine already has {0} checkpoints, the most Hyper-V allows.' -f $existing.Count) $vm.Id.ToString()
    }
    if ($null -ne $HvcpInput.guard) {
        $guardRefusal = Get-HvcpGuardRefusal $before (ConvertTo-HvcpStorage $vm) (Test-HvcpTakeWritesMemory $before $typeUsed) $HvcpInput.guard
        if ($guardRefusal) {
            Stop-Hvcp $HvcpErrorIds[$guardRefusal.code] 'LimitsExceeded' $guardRefusal.detail $vm.Id.ToString()
        }
    }
    $namesakes = [object[]]@($existing | Where-Object { [string]::Equals([string]$_.Name, $checkpointName, [System.StringComparison]::Ordinal) } | Sort-Object -Property CreationTime | ForEach-Object { ConvertTo-HvcpCheckpoint $_ })
    $switched = $false
    try {
        if ($requested -and $requested -ne $policy) {
            Write-Host ('@@HVCP-UNDO@@' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -Compress -InputObject ([ordered]@{ vmId = $vm.Id.ToString(); vmName = [string]$vm.Name; checkpointType = $policy; temporaryType = $requested })))))
            Hyper-V\Set-VM -VM $vm -CheckpointType $requested
            $switched = $true
        }
        $passed = @(Hyper-V\Checkpoint-VM -VM $vm -SnapshotName $checkpointName -Passthru)
    } finally {
        if ($switched) {
            Hyper-V\Set-VM -VM $vm -CheckpointType $policy
        }
    }
    # Microsoft's page says both that -Passthru returns the checkpoint and that Checkpoint-VM returns
    # nothing (or the VM): a checkpoint that was taken must not be reported as failed, so when no
    # checkpoint came back, it is the one with this name that was not there before.
    $checkpoint = $passed | Where-Object { $null -ne $_.PSObject.Properties['SnapshotType'] -and $_.VMId -eq $vm.Id } | Select-Object -Last 1
    if ($null -eq $checkpoint) {
        $known = @($existing | ForEach-Object { $_.Id })
        $checkpoint = Hyper-V\Get-VMSnapshot -VM $vm | Where-Object { [string]::Equals([string]$_.Name, $checkpointName, [System.StringComparison]::Ordinal) -and $known -notcontains $_.Id } | Sort-Object -Property CreationTime | Select-Object -Last 1
    }
    if ($null -eq $checkpoint) {
        Stop-Hvcp $HvcpErrorIds.HostFailure 'InvalidResult' ('Checkpoint-VM reported success, but the VM has no new checkpoint named "{0}".' -f $checkpointName) $vm.Id.ToString()
    }
    $HvcpResult = [ordered]@{
        vmBefore = $before
        typeUsed = $typeUsed
        checkpoint = ConvertTo-HvcpCheckpoint $checkpoint
        namesakes = $namesakes
        storage = ConvertTo-HvcpStorage (Hyper-V\Get-VM -Id $vm.Id)
    }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
