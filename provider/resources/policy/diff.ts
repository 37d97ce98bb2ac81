import { sameHostPath } from "../../host";
import { namesManagedVm } from "../shared/vm-target";
import { liveSettings, planChanges } from "./plan";
import type { PolicyInputs, PolicyOutputs } from "./schema";

export interface PolicyDiff {
    changes: boolean;
    replaces: string[];
    /** The fields that change, for messages and tests. */
    fields: string[];
}

/**
 * Compares the declaration with the settings last read from the host (not only with the last
 * declaration), so that out-of-band changes found by a refresh are repaired by the next `up`.
 */
export function diffPolicy(olds: PolicyOutputs, news: PolicyInputs): PolicyDiff {
    if (olds.host !== news.host || !namesManagedVm(olds, news)) {
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
    for (const f of [
        "type",
        "fallbackToStandard",
        "disabled",
        "automaticCheckpoints",
        "ensureBackupIntegration",
        "minFreeSpace",
        "maxChainDepth",
        "allowLocalFileLocation",
    ] as const) {
        if (olds[f] !== news[f]) fields.add(f);
    }
    if (olds.fileLocation !== news.fileLocation && !(olds.fileLocation && news.fileLocation && sameHostPath(olds.fileLocation, news.fileLocation))) {
        fields.add("fileLocation");
    }
    if (news.vmId !== undefined && olds.vmNameDeclared !== undefined) fields.add("vmId");
    if (news.vmName !== undefined && news.vmName !== olds.vmNameDeclared) fields.add("vmName");
    return { changes: fields.size > 0, replaces: [], fields: [...fields] };
}
