import type { OperationScript } from "./render";

/** Input: { vmId }. Every SnapshotType, oldest first. */
export const listCheckpointsScript: OperationScript = {
    operation: "list checkpoints",
    body: String.raw`
$vm = Get-HvcpVm -Id ([string]$HvcpInput.vmId)
$HvcpResult = [ordered]@{ checkpoints = [object[]]@(ConvertTo-HvcpCheckpointList $vm) }
`,
};
