import * as path from "node:path";
import type { HostCapabilities, VmWithCheckpoints } from "../host/model";
import type { LabCluster, LabHostSettings } from "./document";
import { BACKUP_SERVICE_GUID, integrationServiceName } from "./messages";
import { capabilitiesOf } from "./os";
import { checkpointsOf } from "./doc-index";
import { projectCheckpoint, projectVm } from "./projection";
import { readLab } from "./store";
import { storageOf } from "./volume-space";

/** Everything `hyperv-lab show` prints: the host, and each VM with its checkpoints (oldest first). */
export interface LabView {
    folder: string;
    capabilities: HostCapabilities;
    settings: LabHostSettings;
    /** The backup integration service's name in the host's language. */
    backupServiceName: string;
    vms: (VmWithCheckpoints & { integrationServices: { name: string; enabled: boolean }[]; placement: Placement | null })[];
    /** A cluster lab's nodes; null for a stand-alone host. */
    cluster: LabCluster | null;
}

/** Where a VM of a cluster lab runs, and whether it is a clustered role. */
export interface Placement {
    ownerNode: string;
    clustered: boolean;
    migration: { from: string; to: string; kind: "live" | "quick" } | null;
}

export function inspectLab(labFolder: string): LabView {
    const folder = path.resolve(labFolder);
    const doc = readLab(folder);
    return {
        folder,
        capabilities: capabilitiesOf(doc.host.os, doc.host.computerName),
        settings: doc.host,
        backupServiceName: integrationServiceName(doc.host.language, `\\${BACKUP_SERVICE_GUID}`),
        vms: doc.vms.map((vm) => ({
            vm: projectVm(doc, vm),
            checkpoints: checkpointsOf(doc, vm.id).map((c) => projectCheckpoint(vm, c)),
            storage: storageOf(doc, vm),
            integrationServices: vm.integrationServices.map((s) => ({ name: integrationServiceName(doc.host.language, s.id), enabled: s.enabled })),
            placement: vm.ownerNode === null ? null : { ownerNode: vm.ownerNode, clustered: vm.clustered, migration: vm.migration },
        })),
        cluster: doc.host.cluster,
    };
}
