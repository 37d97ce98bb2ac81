# hyperv-checkpoints: remove checkpoint
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bUlkIjoifjZmMWM0ZDJlLThiM2EtNGM1ZC05ZTdmLTBhMWIyYzNkNGU1ZiIsImNoZWNrcG9pbnRJZCI6In4wZDllOGY3YS02YjVjLTRkM2UtMmYxYS0wYjljOGQ3ZTZmNWEifQ=='))))
$HvcpResult = $null
try {
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
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
