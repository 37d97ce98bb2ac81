@{
    # A test stand-in for Microsoft's FailoverClusters module: the cmdlets the provider and tests use,
    # answered by the cluster lab (../../cluster-cmdlets.ts). It sits in a module folder of its own,
    # put on PSModulePath only for the shells that are cluster nodes: a stand-alone host's shell has
    # no FailoverClusters module, as a Hyper-V host without the Failover Clustering feature.
    RootModule = 'FailoverClusters.psm1'
    ModuleVersion = '2.0.0.0'
    GUID = '6a3a2f0e-1f4c-4a53-9a7b-0c2f52d7e9a1'
    Description = 'FailoverClusters stand-in backed by the hyperv-checkpoints cluster lab'
    FunctionsToExport = @('Get-Cluster', 'Get-ClusterNode', 'Get-ClusterGroup', 'Get-ClusterResource', 'Get-ClusterParameter')
    CmdletsToExport = @()
    VariablesToExport = @()
    AliasesToExport = @()
}
