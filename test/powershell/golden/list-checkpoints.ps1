# hyperv-checkpoints: list checkpoints
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne '37437486289ffd66') { return '{"preludeMissing":"37437486289ffd66"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bUlkIjoifjZmMWM0ZDJlLThiM2EtNGM1ZC05ZTdmLTBhMWIyYzNkNGU1ZiJ9'))))
$HvcpResult = $null
try {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
    $HvcpResult = [ordered]@{ checkpoints = [object[]]@(ConvertTo-HvcpCheckpointList $vm) }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
