import { isHostError, type HostFor } from "../../host";
import { type MergeWatch, waitForMerge } from "../shared/merge-wait";
import type { WarnOnResource } from "../shared/resource-warnings";
import { checkpointDisks, vmDisks } from "../shared/disk-outputs";
import { diffGroup, reordered } from "./diff";
import { CheckpointGroupError, reasonOf, type MemberOutcome } from "./errors";
import { declaredOf } from "./outputs";
import { rollBackGroup } from "./rollback";
import type { GroupInputs, GroupMemberOutput, GroupOutputs } from "./schema";
export { createGroup } from "./take";

/**
 * Follows a new order of the same VMs, renames checkpoints named otherwise than declared, then
 * rolls the group back on a new restoreTrigger.
 */
export async function updateGroup(hostFor: HostFor, olds: GroupOutputs, news: GroupInputs): Promise<GroupOutputs> {
    const d = diffGroup(olds, news);
    // All or nothing, as for taking: every VM's checkpoint is read before the first VM rolls back.
    if (d.restore) await refuseLostGroupRollback(hostFor, olds, news, (host, vmId) => host.getVmWithCheckpoints({ id: vmId }).catch(() => undefined));
    // An update keeps the same VMs; they may be declared in another order, which the rollback follows.
    const members = reordered(olds, news) ?? [...olds.members];
    for (const i of d.renames) {
        const m = members[i]!;
        const host = hostFor(m.host);
        const cp = await host.renameCheckpoint(m.vmId, m.checkpointId, news.name!);
        members[i] = { ...m, checkpointName: cp.name };
    }
    let outs: GroupOutputs = { ...olds, ...declaredOf(news), members };
    if (d.restore) outs = { ...outs, ...(await rollBackGroup(hostFor, outs, news)) };
    return outs;
}

/**
 * Every checkpoint of the group as the host has it now: renamed, or gone (with its VM) out of
 * band, which the next `up` repairs (see diffGroup). Undefined when all of them are gone.
 */
export async function readGroup(hostFor: HostFor, olds: GroupOutputs, warnOnResource: WarnOnResource): Promise<GroupOutputs | undefined> {
    const vmsGone = new Set<string>();
    const members = await Promise.all(
        olds.members.map(async (m): Promise<GroupMemberOutput> => {
            try {
                const { vm, checkpoints, storage } = await hostFor(m.host).getVmWithCheckpoints({ id: m.vmId });
                const cp = checkpoints.find((c) => c.id === m.checkpointId);
                const disks = vmDisks(vm, storage);
                return cp
                    ? { ...m, vmName: vm.name, checkpointName: cp.name, present: true, ...checkpointDisks(cp, storage), ...disks }
                    : { ...m, vmName: vm.name, present: false, ...disks };
            } catch (e) {
                if (!isHostError(e, "VmNotFound")) throw e;
                vmsGone.add(m.vmId);
                return { ...m, present: false };
            }
        }),
    );
    if (members.every((m) => !m.present)) return undefined;
    await warnOfDrift(olds, members, vmsGone, warnOnResource);
    return { ...olds, members };
}

/** Says, per VM, what refresh found gone and what the next `up` will do about it. */
async function warnOfDrift(olds: GroupOutputs, members: GroupMemberOutput[], vmsGone: Set<string>, warnOnResource: WarnOnResource): Promise<void> {
    const gone = members.filter((m) => !m.present);
    if (gone.length === 0) return;
    const what = gone.map((m) =>
        vmsGone.has(m.vmId)
            ? `VM "${m.vmName}" (${m.vmId}) is gone from its host, and its checkpoint with it`
            : `the checkpoint of VM "${m.vmName}" (${m.checkpointId}) was removed outside Pulumi`,
    );
    const next = gone.some((m) => vmsGone.has(m.vmId))
        ? "the next `pulumi up` cannot take the group again with a VM that is gone: take it out of vms (the group is then replaced)"
        : "a checkpoint cannot be put back as it was, so the next `pulumi up` replaces the group: it takes a new checkpoint of every VM (one moment for all again) and removes the old ones";
    await warnOnResource(olds.resourceUrn, `group "${olds.name}": ${what.join("; ")}; ${next}`);
}

/**
 * Before `up` (or its preview) changes anything: a rollback asked of a group whose checkpoint on
 * some VM is gone is refused, VM by VM, instead of rolling some VMs back and stopping, or (after a
 * refresh) turning into a new group taken in silence. With `read` (preview's shared reads, or the
 * update's own before it rolls anything back) each VM is read; without (diff in `up`), the last
 * refresh is trusted.
 */
export async function refuseLostGroupRollback(
    hostFor: HostFor,
    olds: GroupOutputs,
    news: GroupInputs,
    read?: (host: ReturnType<HostFor>, vmId: string) => Promise<{ checkpoints: { id: string }[] } | undefined>,
): Promise<void> {
    if (news.restoreTrigger === undefined || news.restoreTrigger === olds.restoreTrigger) return;
    const gone = new Set<string>();
    for (const m of olds.members) {
        if (!m.present) gone.add(m.checkpointId);
        else if (read) {
            const listing = await read(hostFor(m.host), m.vmId);
            if (!listing?.checkpoints.some((c) => c.id === m.checkpointId)) gone.add(m.checkpointId);
        }
    }
    if (gone.size === 0) return;
    const back = olds.restoreTrigger === undefined ? "remove restoreTrigger" : `set restoreTrigger back to "${olds.restoreTrigger}"`;
    throw new CheckpointGroupError(
        "roll back checkpoint group",
        olds.name,
        "a checkpoint of the group was removed outside Pulumi, so the group cannot be rolled back to one moment; nothing was changed",
        olds.members.map((m) => ({
            host: hostFor(m.host).displayName,
            vm: m.vmName,
            vmId: m.vmId,
            checkpoint: m.checkpointName,
            checkpointId: m.checkpointId,
            outcome: gone.has(m.checkpointId) ? "its checkpoint is gone (removed outside Pulumi)" : "its checkpoint is there; not rolled back",
        })),
        `To take a new group of the VMs as they are now instead, ${back} (after \`pulumi refresh\`, the next \`pulumi up\` replaces the group); or roll back the VMs whose checkpoints remain by hand`,
    );
}

/** Removes every checkpoint of the group (Hyper-V merges their disks); one already gone is success. */
export async function deleteGroup(hostFor: HostFor, olds: GroupOutputs, merges?: MergeWatch): Promise<void> {
    const startedAt = Date.now();
    const outcomes: MemberOutcome[] = [];
    let failed: unknown;
    for (const m of olds.members) {
        const host = hostFor(m.host);
        let outcome = "removed (its disks merged)";
        let merging = false;
        try {
            const removal = await host.removeCheckpoint(m.vmId, m.checkpointId);
            merging = removal.merge !== undefined || removal.mergeFailure !== undefined;
        } catch (e) {
            if (isHostError(e, "VmNotFound") || isHostError(e, "CheckpointNotFound")) outcome = "already gone";
            else {
                failed ??= e;
                outcome = `could not be removed: ${reasonOf(e)}`;
            }
        }
        // Hyper-V merges in the background: the group is gone when every VM's disks are whole again.
        if (merging && merges) {
            const target = {
                vm: { id: m.vmId },
                vmName: m.vmName,
                checkpoint: m.checkpointName,
                checkpointId: m.checkpointId,
                urn: olds.resourceUrn,
                operation: "remove checkpoint",
                whileWaiting: "the checkpoint is removed, its disks are not whole yet",
            };
            await waitForMerge(host, target, merges, startedAt).catch((e: unknown) => {
                failed ??= e;
                outcome = `removed, but ${reasonOf(e)}`;
            });
        }
        outcomes.push({ host: host.displayName, vm: m.vmName, vmId: m.vmId, checkpoint: m.checkpointName, checkpointId: m.checkpointId, outcome });
    }
    if (failed !== undefined) {
        throw new CheckpointGroupError(
            "remove checkpoint group",
            olds.name,
            "not every checkpoint could be removed",
            outcomes,
            "Fix the cause and run the operation again: the checkpoints already removed count as gone",
            failed,
        );
    }
}

/** The declaration as recorded, for the engine's next diff (drift shows in `members`). */
export function liveGroupDeclaration(outs: GroupOutputs): Record<string, unknown> {
    const { vms, name, restoreTrigger, startAfterRestore, startOrder, simultaneous, minFreeSpace, maxChainDepth, resourceUrn } = outs;
    return { vms, name, restoreTrigger, startAfterRestore, startOrder, simultaneous, minFreeSpace, maxChainDepth, resourceUrn };
}
