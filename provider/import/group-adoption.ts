import { holdsMemory, type HostFor, type VmRef, type VmWithCheckpoints } from "../host";
import { refuseAdoption } from "../resources/checkpoint/adoption-guard";
import { declaredOf } from "../resources/group/outputs";
import { groupInputsSchema, type GroupInputs, type GroupMemberOutput, type GroupOutputs } from "../resources/group/schema";

/*
 * A CheckpointGroup taken over from checkpoints already on the host: one checkpoint of the given
 * name on each VM. As with an adopted Checkpoint, nothing on the host changes, and what Hyper-V
 * cannot say afterwards (production or standard, whether it fell back) is recorded as unknown.
 *
 * Its id for `pulumi import`: `<vm>[,<vm>...]/<checkpoint name>`, the VMs (names or ids) in the
 * order they roll back. A VM whose name holds "," or "/" is given by its id.
 */

export interface AdoptedGroup {
    inputs: GroupInputs;
    outputs: GroupOutputs;
}

/** The VMs and the checkpoint name an import id names. */
export function parseGroupImportId(id: string, isGuid: (s: string) => boolean): { vms: VmRef[]; name: string } {
    const slash = id.indexOf("/");
    const vms =
        slash > 0
            ? id
                  .slice(0, slash)
                  .split(",")
                  .map((v) => v.trim())
            : [];
    const name = id.slice(slash + 1);
    if (slash < 1 || vms.some((v) => v === "") || name === "") {
        throw new Error(`import a CheckpointGroup by "<vm>[,<vm>...]/<checkpoint name>" (the VMs in rollback order), not "${id}"`);
    }
    return { vms: vms.map((v) => (isGuid(v) ? { id: v.toLowerCase() } : { name: v })), name };
}

function memberOf(listing: VmWithCheckpoints, name: string, hostName: string): GroupMemberOutput {
    const { vm, checkpoints } = listing;
    const named = checkpoints.filter((c) => c.name === name);
    if (named.length !== 1) {
        throw new Error(
            `VM "${vm.name}" (${vm.id}) has ${named.length === 0 ? "no checkpoint" : `${named.length} checkpoints`} named "${name}": a group holds exactly one per VM`,
        );
    }
    const cp = named[0]!;
    refuseAdoption(cp, hostName, vm);
    const memory = holdsMemory(cp.vmState);
    return {
        vmId: vm.id,
        vmName: vm.name,
        checkpointId: cp.id,
        checkpointName: cp.name,
        present: true,
        kind: memory ? "standard" : "unknown",
        fellBack: null,
        holdsMemory: memory,
        vmStateAtCreation: cp.vmState,
        creationTime: cp.creationTime,
    };
}

/** The group the VMs' checkpoints named `name` make, declared as the import id named the VMs. */
export async function adoptGroup(hostFor: HostFor, vms: VmRef[], name: string): Promise<AdoptedGroup> {
    const host = hostFor(undefined);
    const inputs = groupInputsSchema.parse({ vms: vms.map((ref) => ("id" in ref ? { vmId: ref.id } : { vmName: ref.name })), name });
    const members: GroupMemberOutput[] = [];
    for (const ref of vms) members.push(memberOf(await host.getVmWithCheckpoints(ref), name, host.displayName));
    return { inputs, outputs: { ...declaredOf(inputs), members, lastRestoreTime: null, lastRestoreResult: null } };
}
