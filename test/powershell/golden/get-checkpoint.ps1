# hyperv-checkpoints: read checkpoint
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne '37437486289ffd66') { return '{"preludeMissing":"37437486289ffd66"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bUlkIjoifjZmMWM0ZDJlLThiM2EtNGM1ZC05ZTdmLTBhMWIyYzNkNGU1ZiIsImNoZWNrcG9pbnRJZCI6In4wZDllOGY3YS02YjVjLTRkM2UtMmYxYS0wYjljOGQ3ZTZmNWEifQ=='))))
$HvcpResult = $null
try {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
    $checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
    $HvcpResult = [ordered]@{ checkpoint = ConvertTo-HvcpCheckpoint $checkpoint }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
