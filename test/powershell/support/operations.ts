import {
    applyCheckpointScript,
    applyCheckpointSettingsScript,
    capabilitiesScript,
    locateVmScript,
    powerVmScript,
    readVmScript,
    removeCheckpointScript,
    renameCheckpointScript,
    takeCheckpointScript,
    type OperationScript,
} from "../../../provider/powershell/scripts";

export const VM_ID = "6f1c4d2e-8b3a-4c5d-9e7f-0a1b2c3d4e5f";
export const CHECKPOINT_ID = "0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a";

export const BENIGN = "web-01";
export const BENIGN_PATH = "C:\\Hyper-V\\Checkpoints";

function desiredSettings(vm: Record<string, string>, checkpointFileLocation: string): Record<string, unknown> {
    return {
        vm,
        checkpointType: "ProductionOnly",
        checkpointFileLocation,
        automaticCheckpointsEnabled: false,
        reenableCheckpoints: true,
        fileLocationWhileCheckpointed: "keep",
        enableBackupIntegration: true,
        refuseImpossibleProductionOnly: true,
    };
}

/**
 * Every operation script with a benign input, and where a user value (a VM name, a checkpoint
 * name or a path) goes in it, so suites can swap in hostile values. `benign` is the golden's value.
 */
export const operations: { file: string; script: OperationScript; input: (value: string) => Record<string, unknown>; benign: string }[] = [
    { file: "capabilities", script: capabilitiesScript, input: () => ({}), benign: BENIGN },
    { file: "read-vm-by-name", script: readVmScript, input: (name) => ({ name, includeCheckpoints: true }), benign: BENIGN },
    { file: "read-vm-by-id", script: readVmScript, input: () => ({ id: VM_ID, includeCheckpoints: false }), benign: BENIGN },
    { file: "locate-vm", script: locateVmScript, input: () => ({ id: VM_ID }), benign: BENIGN },
    {
        file: "apply-checkpoint-settings-by-id",
        script: applyCheckpointSettingsScript,
        input: (path) => desiredSettings({ id: VM_ID }, path),
        benign: BENIGN_PATH,
    },
    {
        file: "apply-checkpoint-settings-by-name",
        script: applyCheckpointSettingsScript,
        input: (name) => desiredSettings({ name }, BENIGN_PATH),
        benign: BENIGN,
    },
    { file: "take-checkpoint", script: takeCheckpointScript, input: (name) => ({ vm: { id: VM_ID }, name, temporaryType: "ProductionOnly" }), benign: BENIGN },
    {
        file: "take-checkpoint-by-vm-name",
        script: takeCheckpointScript,
        input: (vmName) => ({ vm: { name: vmName }, name: "nightly", temporaryType: null }),
        benign: BENIGN,
    },
    { file: "apply-checkpoint", script: applyCheckpointScript, input: () => ({ vmId: VM_ID, checkpointId: CHECKPOINT_ID, start: true }), benign: BENIGN },
    { file: "rename-checkpoint", script: renameCheckpointScript, input: (newName) => ({ vmId: VM_ID, checkpointId: CHECKPOINT_ID, newName }), benign: BENIGN },
    { file: "remove-checkpoint", script: removeCheckpointScript, input: () => ({ vmId: VM_ID, checkpointId: CHECKPOINT_ID }), benign: BENIGN },
    { file: "power-vm", script: powerVmScript, input: () => ({ vmId: VM_ID, action: "suspend" }), benign: BENIGN },
];
