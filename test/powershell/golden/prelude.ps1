$HvcpErrorIds = @{
    VmNotFound = 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM'
    AmbiguousVmName = 'AmbiguousVmName,Microsoft.HyperV.PowerShell.Commands.GetVM'
    CheckpointNotFound = 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVMSnapshot'
    AccessDenied = 'Unspecified,Microsoft.HyperV.PowerShell.Commands.GetVM'
    CheckpointsDisabled = 'CheckpointsDisabled,Microsoft.HyperV.PowerShell.Commands.CheckpointVM'
    ProductionUnavailable = 'ProductionCheckpointUnavailable,Microsoft.HyperV.PowerShell.Commands.CheckpointVM'
    InvalidVmState = 'InvalidState,Microsoft.HyperV.PowerShell.Commands.CheckpointVM'
    CheckpointLimit = 'CheckpointLimitReached,Microsoft.HyperV.PowerShell.Commands.CheckpointVM'
    FileLocationLocked = 'CheckpointFileLocationLocked,Microsoft.HyperV.PowerShell.Commands.SetVM'
    UnsupportedByHost = 'NamedParameterNotFound,Microsoft.HyperV.PowerShell.Commands.SetVM'
    BackupServiceMissing = 'BackupServiceMissing,Microsoft.HyperV.PowerShell.Commands.EnableVMIntegrationService'
    InsufficientSpace = 'InsufficientSpace,Microsoft.HyperV.PowerShell.Commands.CheckpointVM'
    ChainTooDeep = 'ChainTooDeep,Microsoft.HyperV.PowerShell.Commands.CheckpointVM'
    MergeInProgress = 'MergeInProgress,Microsoft.HyperV.PowerShell.Commands.CheckpointVM'
    HostFailure = 'OperationFailed,Microsoft.HyperV.PowerShell.Commands'
}
$HvcpMaxCheckpoints = 50
$HvcpMinProductionVersion = '6.2'
$HvcpTransitionalStates = @('Stopping', 'Starting', 'Reset', 'Saving', 'Pausing', 'Resuming', 'FastSaving', 'Other')
$HvcpBackupServiceIdSuffix = '5CED1297-4598-4915-A5FC-AD21BB4D02A4'

function global:Restore-HvcpText($Value) { if ($Value -is [string]) { return $Value.Substring(1) }; if ($Value -is [System.Management.Automation.PSCustomObject]) { foreach ($property in $Value.PSObject.Properties) { $property.Value = Restore-HvcpText $property.Value }; return $Value }; if ($Value -is [System.Array]) { return ,[object[]]@(foreach ($item in $Value) { Restore-HvcpText $item }) }; return $Value }

function Stop-Hvcp([string]$ErrorId, [string]$Category, [string]$Message, [string]$Target) {
    $exception = [System.InvalidOperationException]::new($Message)
    throw [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, [System.Management.Automation.ErrorCategory]$Category, $Target)
}

function ConvertTo-HvcpErrorEnvelope($Record) {
    $target = $null
    if ($null -ne $Record.TargetObject) { $target = [string]$Record.TargetObject }
    [ordered]@{
        error = [ordered]@{
            fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
            category = $Record.CategoryInfo.Category.ToString()
            exceptionType = $Record.Exception.GetType().FullName
            message = [string]$Record.Exception.Message
            target = $target
        }
    }
}

# By id, Get-VM -Id reads one VM (listing every VM costs seconds on a host with hundreds). Names are
# not unique and Get-VM -Name treats [ ] * ? as wildcards: list, compare literally, drive by Id.
function Get-HvcpVm([string]$Id, [string]$Name) {
    if ($Id) {
        $lookup = $null
        $found = @(Hyper-V\Get-VM -Id ([guid]$Id) -ErrorAction SilentlyContinue -ErrorVariable lookup)
        if ($found.Count -eq 0) {
            # "Not found" is non-terminating; anything else (access denied) is the real answer.
            $other = @($lookup | Where-Object { -not ([string]$_.FullyQualifiedErrorId).StartsWith('InvalidParameter,') -and -not ([string]$_.FullyQualifiedErrorId).StartsWith('ObjectNotFound,') })
            if ($other.Count -gt 0) { throw $other[0] }
            Stop-Hvcp $HvcpErrorIds.VmNotFound 'ObjectNotFound' ('Hyper-V was unable to find a virtual machine with id "{0}".' -f $Id) $Id
        }
        return $found[0]
    }
    # Ordinal, as Hyper-V compares: -eq is culture-aware and ignores zero-width and control characters.
    $found = @(Hyper-V\Get-VM | Where-Object { [string]::Equals([string]$_.Name, $Name, [System.StringComparison]::OrdinalIgnoreCase) })
    if ($found.Count -eq 0) {
        Stop-Hvcp $HvcpErrorIds.VmNotFound 'ObjectNotFound' ('Hyper-V was unable to find a virtual machine with name "{0}".' -f $Name) $Name
    }
    if ($found.Count -gt 1) {
        $ids = ($found | ForEach-Object { $_.Id.ToString() }) -join ', '
        Stop-Hvcp $HvcpErrorIds.AmbiguousVmName 'InvalidArgument' ('{0} virtual machines are named "{1}": {2}' -f $found.Count, $Name, $ids) $Name
    }
    return $found[0]
}

function Get-HvcpCheckpoint($Vm, [string]$Id) {
    $found = @(Hyper-V\Get-VMSnapshot -VM $Vm | Where-Object { $_.Id -eq [guid]$Id })
    if ($found.Count -eq 0) {
        Stop-Hvcp $HvcpErrorIds.CheckpointNotFound 'ObjectNotFound' 'Unable to find a snapshot matching the given criteria.' $Id
    }
    return $found[0]
}

# Hyper-V's refusals of a VM starting, stopping or saving have no confirmed error ids: check first and raise our own.
function Assert-HvcpSteadyState($Vm) {
    $state = $Vm.State.ToString()
    if ($HvcpTransitionalStates -contains $state) {
        Stop-Hvcp $HvcpErrorIds.InvalidVmState 'InvalidOperation' ('The operation cannot be performed while the virtual machine is in its current state ({0}).' -f $state) $Vm.Id.ToString()
    }
}

# The backup service is found by Id: its name is translated on localised hosts.
function Get-HvcpBackupService($Vm) {
    Hyper-V\Get-VMIntegrationService -VM $Vm |
        Where-Object { ([string]$_.Id).EndsWith($HvcpBackupServiceIdSuffix, [System.StringComparison]::OrdinalIgnoreCase) } |
        Select-Object -First 1
}

function ConvertTo-HvcpVm($Vm) {
    $backup = Get-HvcpBackupService $Vm
    $backupService = $null
    if ($null -ne $backup) {
        $backupService = [ordered]@{
            enabled = [bool]$backup.Enabled
            guestResponding = ([bool]$backup.Enabled -and [string]$backup.PrimaryOperationalStatus -eq 'Ok')
        }
    }
    $checkpointType = $null
    if ($Vm.PSObject.Properties['CheckpointType']) { $checkpointType = $Vm.CheckpointType.ToString() }
    $automatic = $null
    if ($Vm.PSObject.Properties['AutomaticCheckpointsEnabled']) { $automatic = [bool]$Vm.AutomaticCheckpointsEnabled }
    $parent = $null
    if ($Vm.ParentSnapshotId) { $parent = $Vm.ParentSnapshotId.ToString() }
    [ordered]@{
        id = $Vm.Id.ToString()
        name = [string]$Vm.Name
        state = $Vm.State.ToString()
        version = [string]$Vm.Version
        checkpointType = $checkpointType
        checkpointFileLocation = [string]$Vm.SnapshotFileLocation
        automaticCheckpointsEnabled = $automatic
        parentCheckpointId = $parent
        backupService = $backupService
        hardDrives = [string[]]@($Vm.HardDrives | ForEach-Object { [string]$_.Path })
    }
}

function ConvertTo-HvcpCheckpoint($Checkpoint) {
    $parent = $null
    if ($Checkpoint.ParentSnapshotId) { $parent = $Checkpoint.ParentSnapshotId.ToString() }
    [ordered]@{
        id = $Checkpoint.Id.ToString()
        vmId = $Checkpoint.VMId.ToString()
        vmName = [string]$Checkpoint.VMName
        name = [string]$Checkpoint.Name
        snapshotType = $Checkpoint.SnapshotType.ToString()
        isAutomatic = [bool]$Checkpoint.IsAutomaticCheckpoint
        parentId = $parent
        creationTime = $Checkpoint.CreationTime.ToUniversalTime().ToString('o')
        vmState = $Checkpoint.State.ToString()
        hardDrives = [string[]]@($Checkpoint.HardDrives | ForEach-Object { [string]$_.Path })
    }
}

# Every disk file of the VM's chains (Get-VHD from each current and checkpoint disk, following
# ParentPath), its memory (what a standard checkpoint of it running writes), and the volumes its
# disks and checkpoint file location are on: Win32_Volume (one query; mount points and CSVs
# included), each path on the volume whose root is its longest prefix.
function ConvertTo-HvcpStorage($Vm) {
    $starts = @($Vm.HardDrives | ForEach-Object { [string]$_.Path }) + @(Hyper-V\Get-VMSnapshot -VM $Vm | ForEach-Object { $_.HardDrives | ForEach-Object { [string]$_.Path } })
    $seen = @{}
    $disks = [System.Collections.Generic.List[object]]::new()
    foreach ($start in $starts) {
        $path = $start
        while ($path -and -not $seen.ContainsKey($path.ToLowerInvariant())) {
            $seen[$path.ToLowerInvariant()] = $true
            $vhd = Hyper-V\Get-VHD -Path $path
            $parent = $null
            if ($vhd.ParentPath) { $parent = [string]$vhd.ParentPath }
            $disks.Add([ordered]@{ path = [string]$vhd.Path; parentPath = $parent; fileSize = [int64]$vhd.FileSize })
            $path = $parent
        }
    }
    $paths = @($disks | ForEach-Object { $_.path }) + @([string]$Vm.SnapshotFileLocation)
    $volumes = @(CimCmdlets\Get-CimInstance -ClassName Win32_Volume | Where-Object { $_.Name -and $_.Capacity })
    $used = @($volumes | Where-Object { $root = [string]$_.Name; @($paths | Where-Object { $_.StartsWith($root, [System.StringComparison]::OrdinalIgnoreCase) }).Count -gt 0 })
    $memory = [int64]$Vm.MemoryAssigned
    if ($memory -le 0) { $memory = [int64]$Vm.MemoryStartup }
    [ordered]@{
        memoryBytes = $memory
        disks = [object[]]$disks.ToArray()
        volumes = [object[]]@($used | ForEach-Object { [ordered]@{ name = [string]$_.Name; capacity = [int64]$_.Capacity; freeSpace = [int64]$_.FreeSpace } })
    }
}

# Generated from the provider's rules (provider/host: productionBlockerRules, settingRules).
function Get-HvcpProductionBlocker($Projected, [switch]$PermanentOnly) {
    if (([version]$Projected.version -lt [version]'6.2')) { return ('configuration version {0} is below 6.2; upgrade it with Update-VMVersion' -f $Projected.version, $Projected.state) }
    if (-not $PermanentOnly -and ($Projected.state -ne 'Running')) { return ('the VM is {1}; production checkpoints are made of a running VM through the guest''s VSS' -f $Projected.version, $Projected.state) }
    if (-not $PermanentOnly -and ($null -eq $Projected.backupService)) { return ('the VM has no backup (volume shadow copy) integration service' -f $Projected.version, $Projected.state) }
    if (-not $PermanentOnly -and ($null -ne $Projected.backupService -and -not $Projected.backupService.enabled)) { return ('the backup (volume shadow copy) integration service is disabled; enable it (ensureBackupIntegration)' -f $Projected.version, $Projected.state) }
    if (-not $PermanentOnly -and ($null -ne $Projected.backupService -and -not $Projected.backupService.guestResponding)) { return ('the guest''s backup service does not answer (Windows: VSS; Linux: hv_vss_daemon)' -f $Projected.version, $Projected.state) }
    return $null
}

function Get-HvcpSettingsChange($Before, $Desired, [int]$CheckpointCount) {
    $wanted = @{}
    $wanted.checkpointType = $Desired.checkpointType
    $wanted.checkpointFileLocation = $Desired.checkpointFileLocation
    $wanted.automaticCheckpointsEnabled = $Desired.automaticCheckpointsEnabled
    if (-not $wanted.checkpointType -and $Desired.reenableCheckpoints -and $Before.checkpointType -ceq 'Disabled') { $wanted.checkpointType = 'Production' }
    $keep = $CheckpointCount -gt 0 -and [string]$Desired.fileLocationWhileCheckpointed -eq 'keep'
    $change = [ordered]@{}
    $value = $wanted.checkpointType
    if ($null -ne $value -and ([string]$value -cne [string]$Before.checkpointType)) { $change.checkpointType = $value }
    $value = $wanted.checkpointFileLocation
    if ($null -ne $value -and -not $keep -and ($null -eq $Before.checkpointFileLocation -or -not [string]::Equals(([string]$value).TrimEnd('\'), ([string]$Before.checkpointFileLocation).TrimEnd('\'), [System.StringComparison]::OrdinalIgnoreCase))) { $change.checkpointFileLocation = $value }
    $value = $wanted.automaticCheckpointsEnabled
    if ($null -ne $value -and ($null -eq $Before.automaticCheckpointsEnabled -or [bool]$value -ne [bool]$Before.automaticCheckpointsEnabled)) { $change.automaticCheckpointsEnabled = $value }
    return $change
}

# Generated from the take guard's one owner (provider/host/take-guard.ts): the same needs, order and words.
function Get-HvcpGuardRefusal($Before, $Storage, [bool]$WritesMemory, $Guard) {
    $needs = [System.Collections.Hashtable]::new([System.StringComparer]::Ordinal)
    $add = {
        param([string]$Path, [int64]$Bytes)
        $volume = @($Storage.volumes | Where-Object { $Path.StartsWith([string]$_.name, [System.StringComparison]::OrdinalIgnoreCase) -or [string]::Equals($Path + '\', [string]$_.name, [System.StringComparison]::OrdinalIgnoreCase) } | Sort-Object -Property { ([string]$_.name).Length } -Descending) | Select-Object -First 1
        if ($null -ne $volume) { $needs[[string]$volume.name] = [int64]$needs[[string]$volume.name] + $Bytes }
    }
    foreach ($disk in @($Before.hardDrives)) { & $add ([string]$disk) 4194304 }
    if ($WritesMemory) { & $add ([string]$Before.checkpointFileLocation) ([int64]$Storage.memoryBytes) }
    if ($null -ne $Before.merge) {
        return [ordered]@{ code = 'MergeInProgress'; detail = ('the VM''s disks are still merging from a checkpoint removed earlier ({0}% done, {1} bytes left)' -f [int]$Before.merge.percentComplete, [int64]$Before.merge.bytesLeft) }
    }
    $names = [string[]]@($needs.Keys)
    [Array]::Sort($names, [System.StringComparer]::Ordinal)
    foreach ($name in $names) {
        $volume = @($Storage.volumes | Where-Object { [string]$_.name -ceq $name })[0]
        $need = [int64]$needs[$name]
        $keep = [int64]0
        $min = $Guard.minFreeSpace
        if ($null -ne $min) {
            if ([string]$min -match '^([0-9.]+)%$') { $keep = [int64][Math]::Ceiling([double]$volume.capacity * [double]::Parse($Matches[1], [System.Globalization.CultureInfo]::InvariantCulture) / 100) }
            else { $keep = [int64]$min }
        }
        if ([int64]$volume.freeSpace - $need -ge $keep) { continue }
        $clause = ''
        if ($keep -gt 0) { $clause = (' and minFreeSpace ({0}) keeps {1} of its {2} bytes free' -f [string]$min, $keep, [int64]$volume.capacity) }
        return [ordered]@{ code = 'InsufficientSpace'; detail = ('volume {0} has {1} bytes free; the checkpoint needs {2}{3}, so {4} are needed' -f $name, [int64]$volume.freeSpace, $need, $clause, ($need + $keep)) }
    }
    if ($null -ne $Guard.maxChainDepth) {
        $parents = @{}
        foreach ($d in @($Storage.disks)) { $parents[([string]$d.path).ToLowerInvariant()] = $d.parentPath }
        $deepest = 0
        foreach ($disk in @($Before.hardDrives)) {
            $length = 0
            $parent = $parents[([string]$disk).ToLowerInvariant()]
            while ($parent -and $length -le $parents.Count) { $length++; $parent = $parents[([string]$parent).ToLowerInvariant()] }
            if ($length -gt $deepest) { $deepest = $length }
        }
        $depth = $deepest + 1
        if ($depth -gt [int]$Guard.maxChainDepth) {
            return [ordered]@{ code = 'ChainTooDeep'; detail = ('the checkpoint would make a chain of {0} differencing disks, and maxChainDepth is {1}' -f $depth, [int]$Guard.maxChainDepth) }
        }
    }
    return $null
}

function Test-HvcpTakeWritesMemory($Before, [string]$TypeUsed) {
    if (@('Running', 'Paused', 'Saved') -notcontains [string]$Before.state) { return $false }
    if (-not $TypeUsed -or $TypeUsed -eq 'Standard') { return $true }
    if ($TypeUsed -ne 'Production' -or $Before.state -eq 'Off') { return $false }
    return $null -ne (Get-HvcpProductionBlocker $Before)
}

# Oldest first, projected. Callers wrap the call in [object[]]@(...): a function's output is
# unrolled, so one checkpoint would otherwise arrive as an object, none as $null.
function ConvertTo-HvcpCheckpointList($Vm) {
    Hyper-V\Get-VMSnapshot -VM $Vm | Sort-Object -Property CreationTime | ForEach-Object { ConvertTo-HvcpCheckpoint $_ }
}

$HvcpPreludeVersion = 'ce72dba10b58aa7b'
