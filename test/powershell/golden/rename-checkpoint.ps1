# hyperv-checkpoints: rename checkpoint
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne 'ce72dba10b58aa7b') { return '{"preludeMissing":"ce72dba10b58aa7b"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bUlkIjoifjZmMWM0ZDJlLThiM2EtNGM1ZC05ZTdmLTBhMWIyYzNkNGU1ZiIsImNoZWNrcG9pbnRJZCI6In4wZDllOGY3YS02YjVjLTRkM2UtMmYxYS0wYjljOGQ3ZTZmNWEiLCJuZXdOYW1lIjoifndlYi0wMSJ9'))))
$HvcpResult = $null
try {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
    $checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
    Hyper-V\Rename-VMSnapshot -VMSnapshot $checkpoint -NewName ([string]$HvcpInput.newName)
    $HvcpResult = [ordered]@{ checkpoint = ConvertTo-HvcpCheckpoint (Get-HvcpCheckpoint $vm $checkpoint.Id.ToString()) }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
