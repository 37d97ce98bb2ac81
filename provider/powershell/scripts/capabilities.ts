import type { OperationScript } from "./render";

/**
 * What the host can do, read once per session: OS build, Set-VM's parameters, PowerShell edition,
 * and the failover cluster it is a node of (Get-Cluster, Get-ClusterNode: what hyperv:discoverNodes
 * reaches), null where the FailoverClusters module is absent or its Cluster service does not answer.
 */
export const capabilitiesScript: OperationScript = {
    operation: "read host capabilities",
    body: String.raw`
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
`,
};
