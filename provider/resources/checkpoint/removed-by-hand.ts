import { HostError, type Checkpoint, type Vm } from "../../host";
import type { CheckpointInputs, CheckpointOutputs } from "./schema";

/*
 * A checkpoint the stack took, removed outside Pulumi (Remove-VMSnapshot, Hyper-V Manager). What
 * it captured is gone with it: a rollback to it cannot happen, and taking it again captures the VM
 * as it is now, at the end of its chain. Refresh keeps it in the stack marked gone (`present:
 * false`), so that the next `up` still knows which it is: it refuses a rollback asked of it, and
 * otherwise takes it again, saying where the new one lands.
 */

const named = (outs: CheckpointOutputs, id: string) => `checkpoint "${outs.checkpointName}" (${id}) of VM "${outs.vmName}" (${outs.vmId})`;

/** The rollback asked for (a new restoreTrigger) of a checkpoint that is gone: refused, never turned into a new take. */
export function lostRollback(hostName: string, id: string, olds: CheckpointOutputs, news: CheckpointInputs, predicted = false): HostError {
    const back = olds.restoreTrigger === undefined ? "remove restoreTrigger" : `set restoreTrigger back to "${olds.restoreTrigger}"`;
    return new HostError(
        "CheckpointNotFound",
        "the checkpoint was removed outside Pulumi, so the VM cannot be rolled back to it: the state it captured is gone",
        { host: hostName, vm: olds.vmName, vmId: olds.vmId, checkpoint: olds.checkpointName, checkpointId: id, operation: "apply checkpoint" },
        {
            hint:
                `nothing was changed. To take a new checkpoint of the VM as it is now instead, ${back} ` +
                `(after \`pulumi refresh\`, the next \`pulumi up\` takes it); or remove this Checkpoint (restoreTrigger "${news.restoreTrigger}" cannot be honoured)`,
            predicted,
        },
    );
}

/** What refresh says of a checkpoint it found gone: what the next `up` does, and where the new one lands. */
export function goneOnRefresh(id: string, olds: CheckpointOutputs, vm: Vm, checkpoints: Checkpoint[]): string {
    const since = checkpoints.filter((c) => c.creationTime > olds.creationTime).map((c) => `"${c.name}"`);
    const lands =
        since.length > 0
            ? `; the new one lands at the end of the VM's chain, after ${since.join(", ")} (taken since), so it no longer comes before them as it did, whatever their dependsOn says`
            : "";
    return (
        `${named({ ...olds, vmName: vm.name }, id)} was removed outside Pulumi: the next \`pulumi up\` takes a new checkpoint of the VM as it is now${lands}. ` +
        "A restoreTrigger changed to roll back to it is refused"
    );
}

/** What `up` (and its preview) says as it takes a checkpoint again that refresh found gone. */
export function retakenAfterRemoval(id: string, olds: CheckpointOutputs): string {
    return (
        `${named(olds, id)} was removed outside Pulumi: a new checkpoint of the VM as it is now replaces it. ` +
        "It lands at the end of the VM's chain, after any checkpoint taken since the old one, whatever their dependsOn says"
    );
}
