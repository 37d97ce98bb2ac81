import type { Policies } from "@pulumi/policy";
import { BACKUP_INTEGRATION_RULE, productionEnsuresBackupIntegration, type BackupIntegrationConfig } from "./rules/backup-integration";
import { CHECKPOINT_AGE_RULE, maxCheckpointAge, type CheckpointAgeOptions } from "./rules/checkpoint-age";
import { CHAIN_DEPTH_RULE, maxChainDepth, type ChainDepthConfig } from "./rules/chain-depth";
import { CHECKPOINT_SPACE_RULE, maxCheckpointSpace, type CheckpointSpaceConfig } from "./rules/checkpoint-space";
import { CHECKPOINT_COUNT_RULE, maxCheckpointsPerVm, type CheckpointCountConfig } from "./rules/checkpoint-count";
import { DISABLED_VMS_RULE, noCheckpointsOnDisabledVms, type DisabledVmsConfig } from "./rules/disabled-vms";
import { ENVIRONMENT_TYPES_RULE, environmentCheckpointTypes, type EnvironmentTypesConfig } from "./rules/environment-types";
import { checkpointFileLocation, FILE_LOCATION_RULE, type FileLocationConfig } from "./rules/file-location";
import { CLUSTER_STORAGE_RULE, clusteredVmsOnSharedStorage, type ClusterStorageConfig } from "./rules/cluster-storage";
import { SERVER_ROLES_RULE, serverRolesNoStandardCheckpoints, type ServerRolesConfig } from "./rules/server-roles";
import type { RuleOptions } from "./rule-config";

/*
 * CrossGuard rules for Hyper-V checkpoint governance, for a policy pack:
 *
 *     new PolicyPack("hyperv-checkpoints", { policies: checkpointGovernance() });
 *
 * Each rule is also exported alone. Rules recognise this package's resources by their full engine
 * type token (POLICY_TYPE, CHECKPOINT_TYPE, GROUP_TYPE); see README.md in this folder.
 */

export { CHECKPOINT_TYPE, GROUP_TYPE, POLICY_TYPE } from "./resources";
export type { RuleOptions } from "./rule-config";
export { serverRolesNoStandardCheckpoints, SERVER_ROLES_RULE, type ServerRolesConfig };
export { environmentCheckpointTypes, ENVIRONMENT_TYPES_RULE, type EnvironmentTypesConfig };
export { checkpointFileLocation, FILE_LOCATION_RULE, type FileLocationConfig };
export { clusteredVmsOnSharedStorage, CLUSTER_STORAGE_RULE, type ClusterStorageConfig };
export { productionEnsuresBackupIntegration, BACKUP_INTEGRATION_RULE, type BackupIntegrationConfig };
export { maxCheckpointsPerVm, CHECKPOINT_COUNT_RULE, type CheckpointCountConfig };
export { noCheckpointsOnDisabledVms, DISABLED_VMS_RULE, type DisabledVmsConfig };
export { maxCheckpointAge, CHECKPOINT_AGE_RULE, type CheckpointAgeOptions };
export { maxChainDepth, CHAIN_DEPTH_RULE, type ChainDepthConfig };
export { maxCheckpointSpace, CHECKPOINT_SPACE_RULE, type CheckpointSpaceConfig };

/** Options for every rule at once, keyed by rule name. */
export interface GovernanceOptions {
    [SERVER_ROLES_RULE]?: RuleOptions<ServerRolesConfig>;
    [ENVIRONMENT_TYPES_RULE]?: RuleOptions<EnvironmentTypesConfig>;
    [FILE_LOCATION_RULE]?: RuleOptions<FileLocationConfig>;
    [CLUSTER_STORAGE_RULE]?: RuleOptions<ClusterStorageConfig>;
    [BACKUP_INTEGRATION_RULE]?: RuleOptions<BackupIntegrationConfig>;
    [CHECKPOINT_COUNT_RULE]?: RuleOptions<CheckpointCountConfig>;
    [DISABLED_VMS_RULE]?: RuleOptions<DisabledVmsConfig>;
    [CHECKPOINT_AGE_RULE]?: CheckpointAgeOptions;
    [CHAIN_DEPTH_RULE]?: RuleOptions<ChainDepthConfig>;
    [CHECKPOINT_SPACE_RULE]?: RuleOptions<CheckpointSpaceConfig>;
}

/** All the rules, each with its defaults unless `options` changes them. */
export function checkpointGovernance(options: GovernanceOptions = {}): Policies {
    return [
        serverRolesNoStandardCheckpoints(options[SERVER_ROLES_RULE]),
        environmentCheckpointTypes(options[ENVIRONMENT_TYPES_RULE]),
        checkpointFileLocation(options[FILE_LOCATION_RULE]),
        clusteredVmsOnSharedStorage(options[CLUSTER_STORAGE_RULE]),
        productionEnsuresBackupIntegration(options[BACKUP_INTEGRATION_RULE]),
        maxCheckpointsPerVm(options[CHECKPOINT_COUNT_RULE]),
        noCheckpointsOnDisabledVms(options[DISABLED_VMS_RULE]),
        maxCheckpointAge(options[CHECKPOINT_AGE_RULE]),
        maxChainDepth(options[CHAIN_DEPTH_RULE]),
        maxCheckpointSpace(options[CHECKPOINT_SPACE_RULE]),
    ];
}
