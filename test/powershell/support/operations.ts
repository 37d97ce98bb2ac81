import {
    applyCheckpointScript,
    capabilitiesScript,
    enableBackupIntegrationScript,
    getCheckpointScript,
    listCheckpointsScript,
    readVmScript,
    removeCheckpointScript,
    renameCheckpointScript,
    setCheckpointSettingsScript,
    takeCheckpointScript,
    type OperationScript,
} from "../../../provider/powershell/scripts";

export const VM_ID = "6f1c4d2e-8b3a-4c5d-9e7f-0a1b2c3d4e5f";
export const CHECKPOINT_ID = "0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a";

/**
 * Every operation script with a benign input, and where a user value (name or path) goes in it,
 * so suites can swap in hostile values.
 */
export const operations: { file: string; script: OperationScript; input: (value: string) => Record<string, unknown> }[] = [
    { file: "capabilities", script: capabilitiesScript, input: () => ({}) },
    { file: "read-vm-by-name", script: readVmScript, input: (name) => ({ name, includeCheckpoints: true }) },
    { file: "read-vm-by-id", script: readVmScript, input: () => ({ id: VM_ID, includeCheckpoints: false }) },
    { file: "list-checkpoints", script: listCheckpointsScript, input: () => ({ vmId: VM_ID }) },
    { file: "get-checkpoint", script: getCheckpointScript, input: () => ({ vmId: VM_ID, checkpointId: CHECKPOINT_ID }) },
    {
        file: "set-checkpoint-settings",
        script: setCheckpointSettingsScript,
        input: (path) => ({ vmId: VM_ID, checkpointType: "Production", checkpointFileLocation: path, automaticCheckpointsEnabled: false }),
    },
    { file: "enable-backup-integration", script: enableBackupIntegrationScript, input: () => ({ vmId: VM_ID }) },
    { file: "take-checkpoint", script: takeCheckpointScript, input: (name) => ({ vmId: VM_ID, name, temporaryType: "ProductionOnly" }) },
    { file: "apply-checkpoint", script: applyCheckpointScript, input: () => ({ vmId: VM_ID, checkpointId: CHECKPOINT_ID, start: true }) },
    { file: "rename-checkpoint", script: renameCheckpointScript, input: (newName) => ({ vmId: VM_ID, checkpointId: CHECKPOINT_ID, newName }) },
    { file: "remove-checkpoint", script: removeCheckpointScript, input: () => ({ vmId: VM_ID, checkpointId: CHECKPOINT_ID }) },
];

export const BENIGN = "web-01";
export const BENIGN_PATH = "C:\\Hyper-V\\Checkpoints";
