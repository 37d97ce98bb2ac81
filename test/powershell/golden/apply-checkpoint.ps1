# hyperv-checkpoints: apply checkpoint
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne 'ce72dba10b58aa7b') { return '{"preludeMissing":"ce72dba10b58aa7b"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bUlkIjoifjZmMWM0ZDJlLThiM2EtNGM1ZC05ZTdmLTBhMWIyYzNkNGU1ZiIsImNoZWNrcG9pbnRJZCI6In4wZDllOGY3YS02YjVjLTRkM2UtMmYxYS0wYjljOGQ3ZTZmNWEiLCJzdGFydCI6dHJ1ZX0='))))
$HvcpResult = $null
try {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
    Assert-HvcpSteadyState $vm
    $checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
    Hyper-V\Restore-VMSnapshot -VMSnapshot $checkpoint -Confirm:$false
    if ($HvcpInput.start) {
        $restored = Get-HvcpVm -Id $vm.Id.ToString()
        if ($restored.State.ToString() -ne 'Running') {
            Hyper-V\Start-VM -VM $restored
        }
    }
    $HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString()) }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
