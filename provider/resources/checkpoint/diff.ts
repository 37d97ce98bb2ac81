import { samePolicyLimits } from "../shared/take-limits";
import { namesManagedVm } from "../shared/vm-target";
import type { CheckpointInputs, CheckpointOutputs } from "./schema";

export interface CheckpointDiff {
    changes: boolean;
    replaces: string[];
    fields: string[];
    /** The restore trigger changed: the update applies the checkpoint. */
    restore: boolean;
    /** The declared name differs from the checkpoint's name on the host. */
    rename: boolean;
    /** A new restoreTrigger asks to roll the VM back to this checkpoint (whether or not it can be). */
    restoreRequested: boolean;
    /** A refresh found the checkpoint removed outside Pulumi: it is taken again (replaced), unless a rollback to it was asked for. */
    gone: boolean;
}

/**
 * A different VM, host or type means a different checkpoint: it is replaced, and the replacement
 * captures the VM as it is now; so is a checkpoint removed outside Pulumi (refresh marks it). A
 * name is renamed in place; a new restoreTrigger applies it.
 */
export function diffCheckpoint(id: string, olds: CheckpointOutputs, news: CheckpointInputs): CheckpointDiff {
    const replaces: string[] = [];
    if (news.host !== olds.host) replaces.push("host");
    if (!namesManagedVm(olds, news)) {
        replaces.push(news.vmId !== undefined ? "vmId" : "vmName");
    }
    if (news.type !== olds.type) replaces.push("type");
    if (news.adoptId !== undefined && news.adoptId !== id) replaces.push("adoptId");
    // A rollback asked of the checkpoint itself: not of one that replaces it for another reason.
    const restoreRequested = news.restoreTrigger !== undefined && news.restoreTrigger !== olds.restoreTrigger && !replaces.length;
    const gone = olds.present === false;
    if (gone && !replaces.length) replaces.push("name");
    const fields = [...replaces];
    const rename = news.name !== undefined && news.name !== olds.checkpointName;
    if (rename || news.name !== olds.name) fields.push("name");
    const restore = news.restoreTrigger !== undefined && news.restoreTrigger !== olds.restoreTrigger;
    if (news.restoreTrigger !== olds.restoreTrigger) fields.push("restoreTrigger");
    if (news.startAfterRestore !== olds.startAfterRestore) fields.push("startAfterRestore");
    // Limits on the take: recorded for the next take (a replacement), nothing changes on the host.
    if (news.minFreeSpace !== olds.minFreeSpace) fields.push("minFreeSpace");
    if (news.maxChainDepth !== olds.maxChainDepth) fields.push("maxChainDepth");
    if (!samePolicyLimits(news.policyLimits, olds.policyLimits)) fields.push("policyLimits");
    if (news.vmId !== undefined && olds.vmNameDeclared !== undefined && !replaces.length) fields.push("vmId");
    return { changes: fields.length > 0, replaces, fields, restore: restore && !replaces.length, rename, restoreRequested, gone };
}
