/** The native plugin's package name and resource types (hyperv:index:<Type>). */
export const PACKAGE = "hyperv";

export const NATIVE_TYPES = {
    VmCheckpointPolicy: `${PACKAGE}:index:VmCheckpointPolicy`,
    Checkpoint: `${PACKAGE}:index:Checkpoint`,
    CheckpointGroup: `${PACKAGE}:index:CheckpointGroup`,
} as const;

export type NativeType = (typeof NATIVE_TYPES)[keyof typeof NATIVE_TYPES];
