function Get-CimInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][string]$ClassName, [string]$Namespace = 'root/cimv2')
    if ($ClassName -ne 'Win32_OperatingSystem') {
        throw [System.NotSupportedException]::new("the stand-in answers Win32_OperatingSystem only, not $ClassName")
    }
    Import-Module -Name Hyper-V
    [Microsoft.HyperV.PowerShell.OperatingSystemInstance]::OfLab()
}
