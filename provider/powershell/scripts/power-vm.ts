import type { OperationScript } from "./render";

/**
 * Input: { vmId, action: "start" | "suspend" | "resume" }. Start-VM leaves a Running VM alone;
 * Suspend-VM needs a Running VM and Resume-VM a Paused one: checked first, as Checkpoint-VM's
 * refusals are, so both hosts raise the same InvalidVmState.
 */
export const powerVmScript: OperationScript = {
    operation: "change VM power state",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
$state = $vm.State.ToString()
$action = [string]$HvcpInput.action
$needs = @{ start = $null; suspend = 'Running'; resume = 'Paused' }[$action]
if ($null -ne $needs -and $state -ne $needs) {
    Stop-Hvcp $HvcpErrorIds.InvalidVmState 'InvalidOperation' ('The operation cannot be performed while the virtual machine is in its current state ({0}).' -f $state) $vm.Id.ToString()
}
if ($action -eq 'start') {
    Assert-HvcpSteadyState $vm
    if ($state -ne 'Running') { Hyper-V\Start-VM -VM $vm }
} elseif ($action -eq 'suspend') {
    Hyper-V\Suspend-VM -VM $vm
} else {
    Hyper-V\Resume-VM -VM $vm
}
$HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString()) }
`,
};
