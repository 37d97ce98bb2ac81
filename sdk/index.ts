export { VmCheckpointPolicy, type VmCheckpointPolicyArgs, type CheckpointSettings, type HyperVCheckpointType } from "./policy";
export { Checkpoint, type CheckpointArgs } from "./checkpoint";
export { CheckpointGroup, type CheckpointGroupArgs, type CheckpointGroupVm, type CheckpointGroupMember } from "./checkpoint-group";
