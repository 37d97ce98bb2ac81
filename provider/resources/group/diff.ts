import { samePolicyLimits } from "../shared/take-limits";
import type { GroupInputs, GroupMember, GroupOutputs } from "./schema";

export interface GroupDiff {
    changes: boolean;
    replaces: string[];
    fields: string[];
    /** The restore trigger changed: the update rolls the group back. */
    restore: boolean;
    /** Indexes (in the order `news` declares the VMs) of members whose checkpoint on the host is named otherwise than declared. */
    renames: number[];
}

/** Equal for two declarations of the same VM with the same type on the same host. */
export const memberKey = (m: GroupMember) => JSON.stringify([m.vmName ?? null, m.vmId ?? null, m.host ?? null, m.type ?? null]);

/**
 * The group's members in the order `news` declares its VMs, when only the order changed (the
 * rollback and start orders follow it); undefined when the VMs themselves differ.
 */
export function reordered<T>(olds: { vms: GroupMember[]; members: T[] }, news: { vms: GroupMember[] }): T[] | undefined {
    if (olds.vms.length !== news.vms.length) return undefined;
    const indexes = news.vms.map((m) => olds.vms.findIndex((o) => memberKey(o) === memberKey(m)));
    if (indexes.some((i) => i < 0) || new Set(indexes).size !== indexes.length) return undefined;
    return indexes.map((i) => olds.members[i]!);
}

/**
 * Other VMs (or another type or host for one) mean another group: replaced, and the replacement
 * captures every VM as it is now; the same VMs in another order only change the rollback order.
 * A checkpoint removed out of band (refresh shows it) cannot be put back as it was: the group is
 * replaced, so that all its checkpoints share one moment again. A checkpoint renamed out of band,
 * or a new name, is renamed in place.
 */
export function diffGroup(olds: GroupOutputs, news: GroupInputs): GroupDiff {
    const replaces: string[] = [];
    const members = reordered(olds, news);
    if (!members || members.some((m) => !m.present)) replaces.push("vms");
    const renames = (members ?? []).flatMap((m, i) => (m.present && m.checkpointName !== news.name ? [i] : []));
    const fields = [...replaces];
    // A VM's policyLimits only apply to a later take (a replacement): recorded, nothing changes on the host.
    const changed = (m: GroupMember, i: number) => memberKey(m) !== memberKey(news.vms[i]!) || !samePolicyLimits(m.policyLimits, news.vms[i]!.policyLimits);
    if (!replaces.length && olds.vms.some(changed)) fields.push("vms");
    if (renames.length > 0 || news.name !== olds.name) fields.push("name");
    if (news.restoreTrigger !== olds.restoreTrigger) fields.push("restoreTrigger");
    for (const f of ["startAfterRestore", "startOrder", "simultaneous", "minFreeSpace", "maxChainDepth"] as const) if (news[f] !== olds[f]) fields.push(f);
    const restore = news.restoreTrigger !== undefined && news.restoreTrigger !== olds.restoreTrigger && replaces.length === 0;
    return { changes: fields.length > 0, replaces, fields, restore, renames: replaces.length ? [] : renames };
}
