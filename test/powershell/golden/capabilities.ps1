# hyperv-checkpoints: read host capabilities
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('e30='))))
$HvcpResult = $null
try {
    $failoverCluster = $null
    if ($null -ne (Get-Command -Name FailoverClusters\Get-ClusterNode -ErrorAction SilentlyContinue)) {
        try {
            $failoverCluster = [ordered]@{
                name = [string](FailoverClusters\Get-Cluster -ErrorAction Stop).Name
                nodes = [object[]]@(FailoverClusters\Get-ClusterNode -ErrorAction Stop | ForEach-Object { [ordered]@{ name = [string]$_.Name; state = [string]$_.State } })
            }
        } catch {
            $failoverCluster = $null
        }
    }
    $os = CimCmdlets\Get-CimInstance -ClassName Win32_OperatingSystem
    $setVm = Get-Command -Name Hyper-V\Set-VM
    $HvcpResult = [ordered]@{
        computerName = [string]$os.CSName
        osCaption = [string]$os.Caption
        osBuild = [int]$os.BuildNumber
        supportsCheckpointType = $setVm.Parameters.ContainsKey('CheckpointType')
        supportsAutomaticCheckpoints = $setVm.Parameters.ContainsKey('AutomaticCheckpointsEnabled')
        psEdition = [string]$PSVersionTable.PSEdition
        psVersion = $PSVersionTable.PSVersion.ToString()
        failoverCluster = $failoverCluster
    }
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
