# hyperv-checkpoints: locate VM
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('eyJpZCI6In42ZjFjNGQyZS04YjNhLTRjNWQtOWU3Zi0wYTFiMmMzZDRlNWYifQ=='))))
$HvcpResult = $null
try {
    function Get-HvcpMigration($Vm) {
        if ($null -eq (Get-Command -Name FailoverClusters\Get-ClusterParameter -ErrorAction SilentlyContinue)) { return $null }
        try {
            $resources = @(FailoverClusters\Get-ClusterGroup -VMId $Vm.Id -ErrorAction SilentlyContinue |
                FailoverClusters\Get-ClusterResource -ErrorAction SilentlyContinue |
                Where-Object { [string]$_.ResourceType -eq 'Virtual Machine' })
            if ($resources.Count -eq 0) { return $null }
            $state = @($resources[0] | FailoverClusters\Get-ClusterParameter -Name MigrationState -ErrorAction SilentlyContinue)
        } catch {
            return $null
        }
        if ($state.Count -eq 0 -or @(1, 2, 3) -notcontains [int]$state[0].Value) { return $null }
        $to = $null
        $jobs = @(CimCmdlets\Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_MigrationJob -ErrorAction SilentlyContinue)
        $job = @($jobs | Where-Object { [string]$_.VirtualSystemName -eq $Vm.Id.ToString() -and @(3, 4) -contains [int]$_.JobState })
        if ($job.Count -gt 0) { $to = [string]$job[0].DestinationHost }
        [ordered]@{ to = $to }
    }
    $vm = Get-HvcpVm -Id ([string]$HvcpInput.id)
    $HvcpResult = [ordered]@{ migration = Get-HvcpMigration $vm }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
