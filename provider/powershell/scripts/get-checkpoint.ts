import type { OperationScript } from "./render";

/** Input: { vmId, checkpointId }. */
export const getCheckpointScript: OperationScript = {
    operation: "read checkpoint",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
$checkpoint = Get-HvcpCheckpoint $vm ([string]$HvcpInput.checkpointId)
$HvcpResult = [ordered]@{ checkpoint = ConvertTo-HvcpCheckpoint $checkpoint }
`,
};
