@{
    # A test stand-in for Microsoft's Hyper-V module (see ../HyperVStandIn.cs); the test harness
    # compiles HyperVStandIn.dll beside this manifest.
    RootModule = 'HyperVStandIn.dll'
    ModuleVersion = '2.0.0.0'
    GUID = 'af4bddd0-8583-4ff2-84b2-a33f5c8de8a7'
    Description = 'Hyper-V stand-in backed by the hyperv-checkpoints lab'
    CmdletsToExport = @('Get-VM', 'Get-VHD', 'Get-VMSnapshot', 'Get-VMIntegrationService', 'Enable-VMIntegrationService', 'Set-VM', 'Checkpoint-VM', 'Restore-VMSnapshot', 'Remove-VMSnapshot', 'Rename-VMSnapshot', 'Start-VM', 'Suspend-VM', 'Resume-VM')
    AliasesToExport = @('Get-VMCheckpoint', 'Restore-VMCheckpoint', 'Remove-VMCheckpoint', 'Rename-VMCheckpoint')
    FunctionsToExport = @()
    VariablesToExport = @()
}
