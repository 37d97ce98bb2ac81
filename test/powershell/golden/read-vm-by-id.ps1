# hyperv-checkpoints: read VM
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJpZCI6In42ZjFjNGQyZS04YjNhLTRjNWQtOWU3Zi0wYTFiMmMzZDRlNWYiLCJpbmNsdWRlQ2hlY2twb2ludHMiOmZhbHNlfQ=='))))
$HvcpResult = $null
try {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.id) -Name ([string]$HvcpInput.name)
    $HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm $vm ([bool]$HvcpInput.mergeOutcome) }
    if ($HvcpInput.includeCheckpoints) {
        $HvcpResult.checkpoints = [object[]]@(ConvertTo-HvcpCheckpointList $vm)
        $HvcpResult.storage = ConvertTo-HvcpStorage $vm
    }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
