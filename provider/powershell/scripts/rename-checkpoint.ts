import type { OperationScript } from "./render";

/** Input: { vmId, checkpointId, newName }. */
export const renameCheckpointScript: OperationScript = {
    operation: "rename checkpoint",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
$checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
Hyper-V\Rename-VMSnapshot -VMSnapshot $checkpoint -NewName ([string]$HvcpInput.newName)
$HvcpResult = [ordered]@{ checkpoint = ConvertTo-HvcpCheckpoint (Get-HvcpCheckpoint $vm $checkpoint.Id.ToString()) }
`,
};
