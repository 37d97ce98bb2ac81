import type { OperationScript } from "./render";

/**
 * Input: { id }. Whether this node holds the VM (VmNotFound when not) and whether the cluster is
 * migrating it away, in one round trip: a cluster's directory asks each node this side by side
 * (provider/cluster/directory.ts).
 *
 * A VM mid-migration stays on its source node until it lands, so Get-VM alone cannot tell it is
 * leaving. The cluster can: the VM role's "Virtual Machine" resource holds its live migration in the
 * private property MigrationState, 1 Setup, 2 Data Transfer and 3 Move while under way (0 none, 4
 * Canceled, 5 Failure: over) (Microsoft Learn, "MigrationState",
 * learn.microsoft.com/previous-versions/windows/desktop/mscs/virtual-machines-migrationstate). Where
 * it goes is the source node's Hyper-V migration job: Msvm_MigrationJob, VirtualSystemName the VM's
 * id, DestinationHost the node it moves to, JobState 3 Starting or 4 Running while under way
 * (Microsoft Learn, "Msvm_MigrationJob class", learn.microsoft.com/windows/win32/hyperv_v2/msvm-migrationjob).
 * A job that cannot be read leaves the destination unknown. A host without the FailoverClusters
 * module, or a VM that is not a clustered role, reports no migration.
 */
export const locateVmScript: OperationScript = {
    operation: "locate VM",
    body: String.raw`
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
`,
};
