import type { GroupInputs, GroupMember, GroupOutputs } from "./schema";

export interface GroupDiff {
    changes: boolean;
    replaces: string[];
    fields: string[];
    /** The restore trigger changed: the update rolls the group back. */
    restore: boolean;
    /** Indexes of members whose checkpoint on the host is named otherwise than declared. */
    renames: number[];
}

const memberKey = (m: GroupMember) => JSON.stringify([m.vmName ?? null, m.vmId ?? null, m.host ?? null, m.type ?? null]);

/**
 * Other VMs (or another type or host for one) mean another group: replaced, and the replacement
 * captures every VM as it is now. A checkpoint removed out of band (refresh shows it) cannot be
 * put back as it was: the group is replaced, so that all its checkpoints share one moment again.
 * A checkpoint renamed out of band, or a new name, is renamed in place.
 */
export function diffGroup(olds: GroupOutputs, news: GroupInputs): GroupDiff {
    const replaces: string[] = [];
    const sameVms = olds.vms.length === news.vms.length && olds.vms.every((m, i) => memberKey(m) === memberKey(news.vms[i]!));
    if (!sameVms || olds.members.some((m) => !m.present)) replaces.push("vms");
    const renames = olds.members.flatMap((m, i) => (m.present && m.checkpointName !== news.name ? [i] : []));
    const fields = [...replaces];
    if (renames.length > 0 || news.name !== olds.name) fields.push("name");
    if (news.restoreTrigger !== olds.restoreTrigger) fields.push("restoreTrigger");
    for (const f of ["startAfterRestore", "startOrder", "simultaneous"] as const) if (news[f] !== olds[f]) fields.push(f);
    const restore = news.restoreTrigger !== undefined && news.restoreTrigger !== olds.restoreTrigger && replaces.length === 0;
    return { changes: fields.length > 0, replaces, fields, restore, renames: replaces.length ? [] : renames };
}
