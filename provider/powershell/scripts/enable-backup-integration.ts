import type { OperationScript } from "./render";

/** Input: { vmId }. Enables the backup (volume shadow copy) integration service, found by Id. */
export const enableBackupIntegrationScript: OperationScript = {
    operation: "enable backup integration",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
$service = Get-HvcpBackupService $vm
if ($null -eq $service) {
    Stop-Hvcp $HvcpErrorIds.HostFailure 'ObjectNotFound' 'The virtual machine has no backup (volume shadow copy) integration service.' $vm.Id.ToString()
}
if (-not $service.Enabled) {
    Hyper-V\Enable-VMIntegrationService -VMIntegrationService $service
}
$HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm (Get-HvcpVm -Id $vm.Id.ToString()) }
`,
};
