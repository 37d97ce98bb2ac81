import { takeRefusalOrder, type TakeRefusal } from "../../host";
import type { OperationScript } from "./render";
import { announceUndo } from "./undo";

/** What the script refuses before it changes anything, one block per refusal, in takeRefusalOrder. */
const refusals: Record<TakeRefusal, string> = {
    InvalidVmState: "Assert-HvcpSteadyState $vm",
    UnsupportedByHost: String.raw`if ($requested -and $null -eq $policy) {
    Stop-Hvcp $HvcpErrorIds.UnsupportedByHost 'InvalidArgument' 'A parameter cannot be found that matches parameter name ''CheckpointType''.' 'CheckpointType'
}`,
    CheckpointsDisabled: String.raw`if ($policy -eq 'Disabled') {
    Stop-Hvcp $HvcpErrorIds.CheckpointsDisabled 'InvalidOperation' 'Checkpoint operation failed. Checkpoints have been disabled.' $vm.Id.ToString()
}`,
    ProductionUnavailable: String.raw`if ($typeUsed -eq 'ProductionOnly' -and $before.state -ne 'Off') {
    $blocker = Get-HvcpProductionBlocker $before
    if ($blocker) {
        Stop-Hvcp $HvcpErrorIds.ProductionUnavailable 'InvalidOperation' ('Checkpoint operation failed. Production checkpoints cannot be created: {0}.' -f $blocker) $vm.Id.ToString()
    }
}`,
    CheckpointLimit: String.raw`if ($existing.Count -ge $HvcpMaxCheckpoints) {
    Stop-Hvcp $HvcpErrorIds.CheckpointLimit 'LimitsExceeded' ('The virtual machine already has {0} checkpoints, the most Hyper-V allows.' -f $existing.Count) $vm.Id.ToString()
}`,
};

/**
 * Input: { vm: { id } or { name }, name, temporaryType? }. The VM lookup, the policy checks, the
 * temporary type switch, the checkpoint and the switch back are one round trip; the switch is
 * undone in finally (Vagrant leaves the VM on the switched type when the checkpoint fails). A
 * Disabled policy is never overridden. Returns the VM as read before, the type in force, the new
 * checkpoint (from which the adapter works out the kind with the shared rules) and the checkpoints
 * that already had the name, compared case-sensitively like the lab (names repeat on Hyper-V).
 */
export const takeCheckpointScript: OperationScript = {
    operation: "take checkpoint",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vm.id) -Name ([string]$HvcpInput.vm.name)
$checkpointName = [string]$HvcpInput.name
$before = ConvertTo-HvcpVm $vm
$policy = $before.checkpointType
$requested = [string]$HvcpInput.temporaryType
$typeUsed = if ($requested) { $requested } else { $policy }
$existing = @(Hyper-V\Get-VMSnapshot -VM $vm)
${takeRefusalOrder.map((code) => refusals[code]).join("\n")}
if ($null -ne $HvcpInput.guard) {
    $guardRefusal = Get-HvcpGuardRefusal $before (ConvertTo-HvcpStorage $vm) (Test-HvcpTakeWritesMemory $before $typeUsed) $HvcpInput.guard
    if ($guardRefusal) {
        Stop-Hvcp $HvcpErrorIds[$guardRefusal.code] 'LimitsExceeded' $guardRefusal.detail $vm.Id.ToString()
    }
}
$namesakes = [object[]]@($existing | Where-Object { [string]::Equals([string]$_.Name, $checkpointName, [System.StringComparison]::Ordinal) } | Sort-Object -Property CreationTime | ForEach-Object { ConvertTo-HvcpCheckpoint $_ })
$switched = $false
try {
    if ($requested -and $requested -ne $policy) {
        ${announceUndo("[ordered]@{ vmId = $vm.Id.ToString(); vmName = [string]$vm.Name; checkpointType = $policy; temporaryType = $requested }")}
        Hyper-V\Set-VM -VM $vm -CheckpointType $requested
        $switched = $true
    }
    $passed = @(Hyper-V\Checkpoint-VM -VM $vm -SnapshotName $checkpointName -Passthru)
} finally {
    if ($switched) {
        Hyper-V\Set-VM -VM $vm -CheckpointType $policy
    }
}
# Microsoft's page says both that -Passthru returns the checkpoint and that Checkpoint-VM returns
# nothing (or the VM): a checkpoint that was taken must not be reported as failed, so when no
# checkpoint came back, it is the one with this name that was not there before.
$checkpoint = $passed | Where-Object { $null -ne $_.PSObject.Properties['SnapshotType'] -and $_.VMId -eq $vm.Id } | Select-Object -Last 1
if ($null -eq $checkpoint) {
    $known = @($existing | ForEach-Object { $_.Id })
    $checkpoint = Hyper-V\Get-VMSnapshot -VM $vm | Where-Object { [string]::Equals([string]$_.Name, $checkpointName, [System.StringComparison]::Ordinal) -and $known -notcontains $_.Id } | Sort-Object -Property CreationTime | Select-Object -Last 1
}
if ($null -eq $checkpoint) {
    Stop-Hvcp $HvcpErrorIds.HostFailure 'InvalidResult' ('Checkpoint-VM reported success, but the VM has no new checkpoint named "{0}".' -f $checkpointName) $vm.Id.ToString()
}
$HvcpResult = [ordered]@{
    vmBefore = $before
    typeUsed = $typeUsed
    checkpoint = ConvertTo-HvcpCheckpoint $checkpoint
    namesakes = $namesakes
    storage = ConvertTo-HvcpStorage (Hyper-V\Get-VM -Id $vm.Id)
}
`,
};
