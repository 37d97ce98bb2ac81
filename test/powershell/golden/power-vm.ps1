# hyperv-checkpoints: change VM power state
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne 'ce72dba10b58aa7b') { return '{"preludeMissing":"ce72dba10b58aa7b"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJ2bUlkIjoifjZmMWM0ZDJlLThiM2EtNGM1ZC05ZTdmLTBhMWIyYzNkNGU1ZiIsImFjdGlvbiI6In5zdXNwZW5kIn0='))))
$HvcpResult = $null
try {
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
    $state = $vm.State.ToString()
    $action = [string]$HvcpInput.action
    $needs = @{ start = $null; suspend = 'Running'; resume = 'Paused' }[$action]
    if ($null -ne $needs -and $state -ne $needs) {
        Stop-Hvcp $HvcpErrorIds.InvalidVmState 'InvalidOperation' ('The operation cannot be performed while the virtual machine is in its current state ({0}).' -f $state) $vm.Id.ToString()
    }
    if ($action -eq 'start') {
        Assert-HvcpSteadyState $vm
        if ($state -ne 'Running') { Hyper-V\Start-VM -VM $vm }
    } elseif ($action -eq 'suspend') {
        Hyper-V\Suspend-VM -VM $vm
    } else {
        Hyper-V\Resume-VM -VM $vm
    }
    $HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString()) }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
