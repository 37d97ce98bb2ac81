import { sameHostPath } from "../../host";
import { liveSettings, planChanges } from "./plan";
import type { PolicyInputs, PolicyOutputs } from "./schema";

export interface PolicyDiff {
    changes: boolean;
    replaces: string[];
    /** The fields that change, for messages and tests. */
    fields: string[];
}

/** Whether the declaration names the VM this resource manages (else it is replaced). */
export function sameVm(olds: PolicyOutputs, news: PolicyInputs): boolean {
    if (olds.host !== news.host) return false;
    if (news.vmId !== undefined) return news.vmId === olds.vmId;
    return news.vmName === olds.vmName || news.vmName === olds.vmNameDeclared;
}

/**
 * Compares the declaration with the settings last read from the host (not only with the last
 * declaration), so that out-of-band changes found by a refresh are repaired by the next `up`.
 */
export function diffPolicy(olds: PolicyOutputs, news: PolicyInputs): PolicyDiff {
    if (!sameVm(olds, news)) {
        const field = news.host !== olds.host ? "host" : news.vmId !== undefined ? "vmId" : "vmName";
        return { changes: true, replaces: [field], fields: [field] };
    }
    const plan = planChanges(news, liveSettings(olds));
    const fields = new Set<string>();
    if (plan.change.checkpointType !== undefined) {
        for (const f of ["type", "fallbackToStandard", "disabled"] as const) if (news[f] !== undefined) fields.add(f);
    }
    if (plan.change.checkpointFileLocation !== undefined) fields.add("fileLocation");
    if (plan.change.automaticCheckpointsEnabled !== undefined) fields.add("automaticCheckpoints");
    if (plan.enableBackup) fields.add("ensureBackupIntegration");
    // A field that starts or stops being managed changes the record even when the host matches.
    for (const f of ["type", "fallbackToStandard", "disabled", "automaticCheckpoints", "ensureBackupIntegration"] as const) {
        if (olds[f] !== news[f]) fields.add(f);
    }
    if (olds.fileLocation !== news.fileLocation && !(olds.fileLocation && news.fileLocation && sameHostPath(olds.fileLocation, news.fileLocation))) {
        fields.add("fileLocation");
    }
    if (news.vmId !== undefined && olds.vmNameDeclared !== undefined) fields.add("vmId");
    if (news.vmName !== undefined && news.vmName !== olds.vmNameDeclared) fields.add("vmName");
    return { changes: fields.size > 0, replaces: [], fields: [...fields] };
}
