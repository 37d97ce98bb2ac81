import type { OperationScript } from "./render";

/**
 * Input: { id } or { name }, whether to include the checkpoints and storage, and whether to read
 * the latest merge's failure (mergeOutcome, see VmReadOptions). One round trip either way.
 */
export const readVmScript: OperationScript = {
    operation: "read VM",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.id) -Name ([string]$HvcpInput.name)
$HvcpResult = [ordered]@{ vm = ConvertTo-HvcpVm $vm ([bool]$HvcpInput.mergeOutcome) }
if ($HvcpInput.includeCheckpoints) {
    $HvcpResult.checkpoints = [object[]]@(ConvertTo-HvcpCheckpointList $vm)
    $HvcpResult.storage = ConvertTo-HvcpStorage $vm
}
`,
};
