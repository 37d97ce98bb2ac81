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
    Hyper-V\Remove-VMSnapshot -VMSnapshot $checkpoint -Confirm:$false
    # The merge the removal started runs on in the background: read it now, in the same round trip.
    $HvcpResult = [ordered]@{ removed = $checkpoint.Id.ToString(); merge = Get-HvcpMerge (Get-HvcpVm -Id ([string]$HvcpInput.vmId)) }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
