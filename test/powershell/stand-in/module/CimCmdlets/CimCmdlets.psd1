@{
    # PowerShell on Linux has no CimCmdlets; the capabilities read needs Win32_OperatingSystem,
    # which the stand-in answers from the lab's pose.
    RootModule = 'CimCmdlets.psm1'
    ModuleVersion = '7.0.0.0'
    GUID = 'c1a0f4a4-4a2b-4f31-9f44-2f0a7c1f5b11'
    FunctionsToExport = @('Get-CimInstance', 'Get-CimAssociatedInstance')
    CmdletsToExport = @()
    VariablesToExport = @()
    AliasesToExport = @()
}
