import { holdsMemory, type HostCapabilities, type TakeCheckpointRequest, type TakenCheckpoint, type VmWithCheckpoints } from "../../host";
import { hyperVTypeOf } from "../shared/checkpoint-declaration";
import { explainRefusedTake, type TakeDeclaration } from "../shared/refused-take";
import { reasonOf } from "./errors";
import type { GroupInputs, GroupMember, GroupMemberOutput, GroupOutputs } from "./schema";

/** A declared VM as the one read before anything is taken found it. */
export interface CheckedMember {
    member: GroupMember;
    hostName: string;
    listing: VmWithCheckpoints;
    caps: HostCapabilities;
}

/** Why a VM named a second time (once by name, once by id: check cannot see it) is refused. */
export function sameVmAs(twin: number): string {
    return `it is the same VM as vms[${twin}] (named once by name, once by id): a group takes one checkpoint per VM`;
}

/** The declaration of one VM's checkpoint, in the terms of the take refusal rules. */
export function checkpointDeclaration(inputs: GroupInputs, member: GroupMember): TakeDeclaration {
    return { name: inputs.name, type: member.type };
}

/**
 * Why Hyper-V would refuse this VM's checkpoint, or null: the Checkpoint resource's own rules, on
 * the VM as it will be at the take. With `simultaneous`, a running VM is paused for the take, and
 * a production checkpoint needs a running guest: production falls back to standard, and
 * production-only is refused here, before anything is paused or taken.
 */
export function refusalOf(inputs: GroupInputs, checked: CheckedMember): string | null {
    const refusal = refusalErrorOf(inputs, checked);
    return refusal === null ? null : describeRefusal(refusal, pausedForTake(inputs, checked));
}

/** A VM's refusal in the group's words; `paused`: simultaneous pauses the running VM for its checkpoint. */
export function describeRefusal(refusal: unknown, paused: boolean): string {
    const why = paused
        ? ' (simultaneous pauses it for the checkpoint, and a production checkpoint needs a running guest: give this VM type "standard", or drop simultaneous)'
        : "";
    return `${reasonOf(refusal)}${why}`;
}

/** The VM is running and `simultaneous` pauses it for its checkpoint. */
export function pausedForTake(inputs: GroupInputs, checked: CheckedMember): boolean {
    return inputs.simultaneous === true && checked.listing.vm.state === "Running";
}

/** The HostError the Checkpoint resource's rules raise for this VM's checkpoint, or null. */
export function refusalErrorOf(inputs: GroupInputs, checked: CheckedMember): unknown {
    const { vm, checkpoints } = checked.listing;
    const atTake = pausedForTake(inputs, checked) ? { ...vm, state: "Paused" as const } : vm;
    try {
        explainRefusedTake(checkpointDeclaration(inputs, checked.member), atTake, checkpoints.length, checked.caps, checked.hostName);
        return null;
    } catch (e) {
        return e;
    }
}

/** The request for one VM's checkpoint. */
export function takeRequest(inputs: GroupInputs, member: GroupMember): TakeCheckpointRequest {
    return { name: inputs.name!, ...(member.type !== undefined ? { temporaryType: hyperVTypeOf[member.type] } : {}) };
}

export function memberOutput(member: GroupMember, taken: TakenCheckpoint): GroupMemberOutput {
    const { vm, checkpoint: cp } = taken;
    return {
        vmId: vm.id,
        vmName: vm.name,
        ...(member.host !== undefined ? { host: member.host } : {}),
        checkpointId: cp.id,
        checkpointName: cp.name,
        present: true,
        kind: taken.kind,
        fellBack: taken.fellBack,
        holdsMemory: holdsMemory(cp.vmState),
        vmStateAtCreation: taken.vmStateAtCreation,
        creationTime: cp.creationTime,
    };
}

/** The declared fields, as recorded (unset fields are dropped). */
export function declaredOf(inputs: GroupInputs): Omit<GroupOutputs, "members" | "lastRestoreTime" | "lastRestoreResult"> {
    const { vms, name, restoreTrigger, startAfterRestore, startOrder, simultaneous, resourceUrn } = inputs;
    return { vms, name: name!, restoreTrigger, startAfterRestore, startOrder, simultaneous, resourceUrn };
}

/** Members in the order they start after a rollback (see startOrderSchema). */
export function inStartOrder<T>(members: readonly T[], startOrder: GroupInputs["startOrder"]): T[] {
    return startOrder === "declared" ? [...members] : [...members].reverse();
}
