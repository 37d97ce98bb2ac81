function Get-CimInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][string]$ClassName, [string]$Namespace = 'root/cimv2', [string]$Filter)
    Import-Module -Name Hyper-V
    switch ($ClassName) {
        'Win32_OperatingSystem' { [Microsoft.HyperV.PowerShell.OperatingSystemInstance]::OfLab() }
        'Win32_Volume' { [Microsoft.HyperV.PowerShell.VolumeInstance]::OfLab() }
        'Msvm_ConcreteJob' {
            # The lab's merges, running and failed; the filter the adapter sends (JobType = 50) is what they all match.
            if ($Filter -and $Filter -ne 'JobType = 50') { throw [System.NotSupportedException]::new("the stand-in answers Msvm_ConcreteJob for merges only, not -Filter '$Filter'") }
            $jobs = [Microsoft.HyperV.PowerShell.Lab]::Call('Get-StandInMergeJobs', [System.Text.Json.Nodes.JsonObject]::new()).ToJsonString() | ConvertFrom-Json
            @($jobs) | Where-Object { $null -ne $_ } | ForEach-Object { $_.PSObject.TypeNames.Insert(0, 'Msvm_ConcreteJob'); $_ }
        }
        'Msvm_MigrationJob' {
            # The lab's migrations leaving this node; the adapter filters them itself (no -Filter).
            if ($Filter) { throw [System.NotSupportedException]::new("the stand-in answers Msvm_MigrationJob without -Filter only, not -Filter '$Filter'") }
            $jobs = [Microsoft.HyperV.PowerShell.Lab]::Call('Get-StandInMigrationJobs', [System.Text.Json.Nodes.JsonObject]::new()).ToJsonString() | ConvertFrom-Json
            @($jobs) | Where-Object { $null -ne $_ } | ForEach-Object { $_.PSObject.TypeNames.Insert(0, 'Msvm_MigrationJob'); $_ }
        }
        'Msvm_DiskMergeSettingData' {
            $settings = [Microsoft.HyperV.PowerShell.Lab]::Call('Get-StandInDiskMergeSettings', [System.Text.Json.Nodes.JsonObject]::new()).ToJsonString() | ConvertFrom-Json
            @($settings) | Where-Object { $null -ne $_ } | ForEach-Object { $_.PSObject.TypeNames.Insert(0, 'Msvm_DiskMergeSettingData'); $_ }
        }
        default { throw [System.NotSupportedException]::new("the stand-in answers Win32_OperatingSystem, Win32_Volume, Msvm_ConcreteJob, Msvm_MigrationJob and Msvm_DiskMergeSettingData only, not $ClassName") }
    }
}

# Msvm_AffectedJobElement from a merge job to the VM it merges (Msvm_ComputerSystem, whose Name is the VM's id).
function Get-CimAssociatedInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory)]$InputObject, [string]$Association, [string]$ResultClassName)
    if ($Association -ne 'Msvm_AffectedJobElement' -or $ResultClassName -ne 'Msvm_ComputerSystem') { throw [System.NotSupportedException]::new("the stand-in follows Msvm_AffectedJobElement to Msvm_ComputerSystem only") }
    [pscustomobject]@{ Name = [string]$InputObject.AffectedVmId }
}
