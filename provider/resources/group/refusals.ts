import { isHostError, type HostCapabilities, type VmWithCheckpoints } from "../../host";
import { memberGuardError, type SpentSpace } from "./guard";
import { explainRefusedTake } from "../shared/refused-take";
import { reasonOf } from "./errors";
import type { GroupInputs, GroupMember } from "./schema";
import { checkpointDeclaration } from "./plan";

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

/**
 * Why Hyper-V, or the take's limits (minFreeSpace, maxChainDepth), would refuse this VM's
 * checkpoint, or null: the Checkpoint resource's own rules, on
 * the VM as it will be at the take. With `simultaneous`, a running VM is paused for the take, and
 * a production checkpoint needs a running guest: production falls back to standard, and
 * production-only is refused here, before anything is paused or taken.
 */
export function refusalOf(inputs: GroupInputs, checked: CheckedMember, spent: SpentSpace): string | null {
    const refusal = refusalErrorOf(inputs, checked, spent);
    return refusal === null ? null : describeRefusal(refusal, pausedForTake(inputs, checked));
}

/** A VM's refusal in the group's words; `paused`: simultaneous pauses the running VM for its checkpoint. */
export function describeRefusal(refusal: unknown, paused: boolean): string {
    const why =
        paused && isHostError(refusal, "ProductionUnavailable")
            ? ' (simultaneous pauses it for the checkpoint, and a production checkpoint needs a running guest: give this VM type "standard", or drop simultaneous)'
            : "";
    return `${reasonOf(refusal)}${why}`;
}

/** The VM is running and `simultaneous` pauses it for its checkpoint. */
export function pausedForTake(inputs: GroupInputs, checked: CheckedMember): boolean {
    return inputs.simultaneous === true && checked.listing.vm.state === "Running";
}

/** The HostError the Checkpoint resource's rules, then the take guard, raise for this VM's checkpoint, or null. */
export function refusalErrorOf(inputs: GroupInputs, checked: CheckedMember, spent: SpentSpace): unknown {
    const { vm, checkpoints } = checked.listing;
    const atTake = pausedForTake(inputs, checked) ? { ...vm, state: "Paused" as const } : vm;
    try {
        explainRefusedTake(checkpointDeclaration(inputs, checked.member), atTake, checkpoints.length, checked.caps, checked.hostName);
    } catch (e) {
        return e;
    }
    const host = { name: checked.hostName, cluster: checked.caps.cluster !== undefined };
    return memberGuardError(inputs, checked.member, atTake, checked.listing.storage, host, spent, { takenBefore: 0, predicted: false });
}
