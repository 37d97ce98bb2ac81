import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { isSharedStorage } from "../../../provider/host/rules";
import { declaredResource, describeVm } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const CLUSTER_STORAGE_RULE = "hyperv-clustered-vms-on-shared-storage";

const configSchema = z.object({
    clusteredVms: z
        .array(z.string())
        .describe('Names or ids (case-insensitive) of the clustered VMs this stack manages; "*" for every VM (a stack that targets a cluster).'),
});
export type ClusterStorageConfig = z.infer<typeof configSchema>;

/** No VM is judged until the pack says which are clustered: a policy cannot see the stack's target. */
const defaults: ClusterStorageConfig = { clusteredVms: [] };

/**
 * A clustered VM's declared checkpoint file location lies on storage every node sees (a Cluster
 * Shared Volume under C:\ClusterStorage\, or an SMB share), or the policy accepts losing its
 * checkpoints on failover with allowLocalFileLocation: true. The provider refuses the same in
 * preview; the rule lets a pack make it mandatory for every stack of a cluster.
 */
export function clusteredVmsOnSharedStorage(options: RuleOptions<ClusterStorageConfig> = {}): ResourceValidationPolicy {
    const config = new RuleConfig(CLUSTER_STORAGE_RULE, configSchema, defaults, options.config);
    return {
        name: CLUSTER_STORAGE_RULE,
        description: "Clustered VMs keep their checkpoint files on Cluster Shared Volumes or SMB shares, where a failover does not lose them.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: config.jsonSchema(),
        validateResource: (args, reportViolation) => {
            const resource = declaredResource(args);
            if (resource?.kind !== "policy") return;
            const { fileLocation, allowLocalFileLocation } = resource.props;
            if (fileLocation === undefined || allowLocalFileLocation === true || isSharedStorage(fileLocation)) return;
            const { clusteredVms } = config.read(args);
            const { vm } = resource;
            const listed = clusteredVms.some((e) => e === "*" || [vm.name, vm.id].some((v) => v?.toLowerCase() === e.toLowerCase()));
            if (!listed) return;
            reportViolation(
                `VmCheckpointPolicy "${resource.name}" puts the checkpoint files of clustered VM ${describeVm(vm)} in ${fileLocation}, on one node's own disks: ` +
                    "they are lost when the VM fails over. Use a folder under C:\\ClusterStorage\\<volume>\\ or an SMB share (\\\\server\\share\\...), " +
                    "or set allowLocalFileLocation: true to accept that.",
            );
        },
    };
}
