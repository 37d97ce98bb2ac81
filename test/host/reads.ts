import { HostError, type Checkpoint, type HyperVHost } from "../../provider/host";

/*
 * The reads tests make that the provider does not: a VM's checkpoints, or one of them, through
 * the port's one listing call (getVmWithCheckpoints), as the resources read them.
 */

/** A VM's checkpoints, oldest first. */
export async function checkpointsOf(host: HyperVHost, vmId: string): Promise<Checkpoint[]> {
    return (await host.getVmWithCheckpoints({ id: vmId })).checkpoints;
}

/** One checkpoint of a VM; CheckpointNotFound, naming it, when the VM no longer has it. */
export async function checkpointOf(host: HyperVHost, vmId: string, checkpointId: string): Promise<Checkpoint> {
    const found = (await checkpointsOf(host, vmId)).find((c) => c.id.toLowerCase() === checkpointId.toLowerCase());
    if (!found)
        throw new HostError("CheckpointNotFound", `the VM has no checkpoint ${checkpointId}`, {
            host: host.displayName,
            vmId,
            checkpointId,
            operation: "read checkpoint",
        });
    return found;
}
