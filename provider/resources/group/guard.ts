import { takeNeeds, takeWritesMemory, type HostError, type Vm, type VmStorage } from "../../host";
import { hyperVTypeOf } from "../shared/checkpoint-declaration";
import { guardError } from "../shared/take-limits";
import { memberGuard } from "./plan";
import type { GroupInputs, GroupMember } from "./schema";

/**
 * The take limits of a group, VM by VM, as a Checkpoint's (its own minFreeSpace and maxChainDepth,
 * else the VM's policyLimits; without any, a take that cannot fit at all). The VMs of one host
 * often share a volume, and each VM's read shows it as free as before the group: a later VM
 * finds it with what the group's earlier takes write there already spent (`spent`).
 */

/** Bytes the group's earlier takes write, by host and volume name. */
export type SpentSpace = Map<string, number>;

/** Where a VM of the group is taken. */
export interface MemberHost {
    name: string;
    /**
     * A failover cluster: its VMs' local volumes (C:\ of each node) share names without being
     * one volume, so nothing is counted across its VMs (each VM is checked on its own).
     */
    cluster: boolean;
}

/**
 * The take guard's refusal of one VM's checkpoint (`vm` as the take finds it: paused for a
 * simultaneous group), or null; records what the take writes for the VMs after it.
 */
export function memberGuardError(
    inputs: GroupInputs,
    member: GroupMember,
    vm: Vm,
    storage: VmStorage,
    host: MemberHost,
    spent: SpentSpace,
    options: { takenBefore: number; predicted: boolean },
): HostError | null {
    const type = member.type !== undefined ? hyperVTypeOf[member.type] : vm.checkpointType;
    const key = (volume: string) => `${host.name}\n${volume}`;
    const left = host.cluster
        ? storage
        : { ...storage, volumes: storage.volumes.map((v) => ({ ...v, freeSpace: Math.max(0, v.freeSpace - (spent.get(key(v.name)) ?? 0)) })) };
    const error = guardError(vm, left, {
        hostName: host.name,
        checkpoint: inputs.name,
        type,
        guard: memberGuard(inputs, member),
        takenBefore: options.takenBefore,
        predicted: options.predicted,
    });
    if (!host.cluster) {
        for (const [volume, bytes] of takeNeeds(vm, storage, takeWritesMemory(vm, type))) spent.set(key(volume), (spent.get(key(volume)) ?? 0) + bytes);
    }
    return error;
}
