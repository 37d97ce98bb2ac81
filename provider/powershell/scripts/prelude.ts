import { MAX_CHECKPOINTS_PER_VM, MIN_PRODUCTION_VERSION, mergeWords } from "../../host";
import { hyperVErrorIds } from "../error-records";
import { transitionalStates } from "../../host/model";
import { guardRefusalFunction, quoted, takeWritesMemoryFunction } from "./generated-guard";
import { productionBlockerFunction, settingsChangeFunction } from "./generated-rules";
import { restoreTextFunction } from "./text-mark";

/** The id of the backup (volume shadow copy) integration service ends with this; its name is translated. */
export const BACKUP_SERVICE_ID_SUFFIX = "5CED1297-4598-4915-A5FC-AD21BB4D02A4";

const errorIdTable = Object.entries(hyperVErrorIds)
    .map(([code, id]) => `    ${code} = '${id}'`)
    .join("\n");

/**
 * How every operation script runs: the first lines of each (preferences are scoped to the script,
 * so they are set by the script, not once per shell).
 */
export const operationPreferences = String.raw`$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off`;

/**
 * PowerShell shared by every operation script: constants and helper functions only, no user value.
 * Everything here is static text (the error ids and limits come from the host port's constants).
 * It is the first part of the HypervCheckpoints module (../module), which a shell loads once when
 * it starts (and a remote session whenever it is opened again): see protocol.ts.
 */
export const preludeDefinitions = String.raw`$HvcpErrorIds = @{
${errorIdTable}
}
$HvcpMaxCheckpoints = ${MAX_CHECKPOINTS_PER_VM}
$HvcpMinProductionVersion = '${MIN_PRODUCTION_VERSION}'
$HvcpTransitionalStates = @(${transitionalStates.map((s) => `'${s}'`).join(", ")})
$HvcpBackupServiceIdSuffix = '${BACKUP_SERVICE_ID_SUFFIX}'
$HvcpMergeDisabledWords = ${quoted(mergeWords.MergeDisabled)}

${restoreTextFunction}

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

# Whether the VM is a clustered role (a cluster group of GroupType VirtualMachine): FailoverClusters'
# Get-ClusterGroup -VMId (Microsoft Learn, Get-ClusterGroup), in the same script as the read, so in
# the same round trip. A host without the FailoverClusters module (a stand-alone Hyper-V host) does
# not say ($null, no error), nor does one whose Cluster service does not answer (a terminating error).
function Get-HvcpClustered($Vm) {
    if ($null -eq $script:HvcpHasClusterModule) {
        $script:HvcpHasClusterModule = $null -ne (Get-Command -Name FailoverClusters\Get-ClusterGroup -ErrorAction SilentlyContinue)
    }
    if (-not $script:HvcpHasClusterModule) { return $null }
    try {
        $groups = @(FailoverClusters\Get-ClusterGroup -VMId $Vm.Id -ErrorAction SilentlyContinue)
    } catch {
        return $null
    }
    return @($groups | Where-Object { [string]$_.GroupType -eq 'VirtualMachine' }).Count -gt 0
}

# The VM's disk merge, read from Hyper-V: { merge, failure }, each $null when there is none.
# merge: the merge a checkpoint's removal left running. Get-VM's OperationalStatus holds
# MergingDisks while Hyper-V merges in the background (VMOperationalStatus; MergingDisks = 32772 in
# Msvm_ComputerSystem.OperationalStatus, learn.microsoft.com/windows/win32/hyperv_v2/msvm-computersystem).
# The percentage is the merge job's: Msvm_ConcreteJob of JobType 50 "Merging VHD Disks", JobState 4
# Running (learn.microsoft.com/windows/win32/hyperv_v2/msvm-concretejob), tied to this VM through
# Msvm_AffectedJobElement (AffectingElement: the job, AffectedElement: the VM's Msvm_ComputerSystem,
# whose Name is the VM's id), not through the job's ElementName or Description, which are display
# text. A job that cannot be read or tied to the VM leaves the percentage unknown. Bytes left are
# never known: the job counts no bytes.
# failure: with -Outcome (a wait for a merge asks), and no merge running, the VM's latest merge job
# (by TimeOfLastStateChange) when it ended Terminated (8), Killed (9) or Exception (10), with its
# ErrorDescription and how far it got. Hyper-V keeps an ended job for its TimeBeforeRemoval (5
# minutes by default, CIM_ConcreteJob), and a wait reads every second. The job is read rather than
# event 19100 (Get-WinEvent Microsoft-Windows-Hyper-V-VMMS-Admin): it is the same query as the
# percentage, needs no Event Log Readers right, carries the error as data rather than translated
# message text, and a later merge that completed supersedes it. -Since: a job that ended before
# then is another removal's (the removal passes its own start, in UTC). Only a VM that is merging, or a
# wait's read, pays for these CIM reads.
function Get-HvcpMergeState($Vm, [bool]$Outcome, $Since) {
    $state = [ordered]@{ merge = $null; failure = $null }
    $merging = $Vm.PSObject.Properties['OperationalStatus'] -and (@($Vm.OperationalStatus | ForEach-Object { [string]$_ }) -contains 'MergingDisks')
    if (-not $merging -and -not $Outcome) { return $state }
    $jobs = @(CimCmdlets\Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_ConcreteJob -Filter 'JobType = 50' -ErrorAction SilentlyContinue)
    $mine = @($jobs | Where-Object {
        $affected = @(CimCmdlets\Get-CimAssociatedInstance -InputObject $_ -Association Msvm_AffectedJobElement -ResultClassName Msvm_ComputerSystem -ErrorAction SilentlyContinue)
        @($affected | Where-Object { [string]$_.Name -eq $Vm.Id.ToString() }).Count -gt 0
    })
    if ($merging) {
        $running = @($mine | Where-Object { [int]$_.JobState -eq 4 })[0]
        $percent = $null
        if ($null -ne $running) { $percent = [int]$running.PercentComplete }
        $state.merge = [ordered]@{ percentComplete = $percent; bytesLeft = $null }
        return $state
    }
    $latest = @($mine | Sort-Object -Property { [datetime]$_.TimeOfLastStateChange } -Descending)[0]
    $current = $null -eq $Since -or ($null -ne $latest -and ([datetime]$latest.TimeOfLastStateChange).ToUniversalTime() -ge $Since)
    if ($null -ne $latest -and $current -and @(8, 9, 10) -contains [int]$latest.JobState) {
        $reason = [string]$latest.ErrorDescription
        if (-not $reason) { $reason = 'the merge job ended in state {0} with error code {1}' -f [int]$latest.JobState, [int]$latest.ErrorCode }
        $state.failure = [ordered]@{ reason = $reason; percentComplete = [int]$latest.PercentComplete; volume = $null }
    }
    $state
}

# Whether Hyper-V merges the VM's disks: Msvm_DiskMergeSettingData EnabledState 1 (Enabled) or 0
# (Temporarily disabled), learn.microsoft.com/windows/win32/hyperv_v2/msvm-diskmergesettingdata.
# The VM's instance is the one whose InstanceID starts "Microsoft:<VM id>\", as the VM's other
# per-VM setting data are named (an assumption: unchecked on a real host). No readable instance
# counts as enabled: the removal then goes ahead as before.
function Test-HvcpDiskMergeEnabled($Vm) {
    $prefix = 'Microsoft:{0}\' -f $Vm.Id.ToString()
    $settings = @(CimCmdlets\Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_DiskMergeSettingData -ErrorAction SilentlyContinue |
        Where-Object { ([string]$_.InstanceID).StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) })
    @($settings | Where-Object { [int]$_.EnabledState -eq 0 }).Count -eq 0
}

function ConvertTo-HvcpVm($Vm, [bool]$MergeOutcome) {
    $merges = Get-HvcpMergeState $Vm $MergeOutcome
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
        clustered = Get-HvcpClustered $Vm
        merge = $merges.merge
        mergeFailure = $merges.failure
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
${productionBlockerFunction}

${settingsChangeFunction}

# Generated from the take guard's one owner (provider/host/take-guard.ts): the same needs, order and words.
${guardRefusalFunction}

${takeWritesMemoryFunction}

# Oldest first, projected. Callers wrap the call in [object[]]@(...): a function's output is
# unrolled, so one checkpoint would otherwise arrive as an object, none as $null.
function ConvertTo-HvcpCheckpointList($Vm) {
    Hyper-V\Get-VMSnapshot -VM $Vm | Sort-Object -Property CreationTime | ForEach-Object { ConvertTo-HvcpCheckpoint $_ }
}
`;
