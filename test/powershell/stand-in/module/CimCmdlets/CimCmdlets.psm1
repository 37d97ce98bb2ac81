function Get-CimInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][string]$ClassName, [string]$Namespace = 'root/cimv2')
    Import-Module -Name Hyper-V
    switch ($ClassName) {
        'Win32_OperatingSystem' { [Microsoft.HyperV.PowerShell.OperatingSystemInstance]::OfLab() }
        'Win32_Volume' { [Microsoft.HyperV.PowerShell.VolumeInstance]::OfLab() }
        default { throw [System.NotSupportedException]::new("the stand-in answers Win32_OperatingSystem and Win32_Volume only, not $ClassName") }
    }
}
