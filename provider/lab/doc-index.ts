import type { LabCheckpoint, LabDocument, LabVm } from "./document";

/*
 * The lab as read is frozen and shared until the next change (store.ts), so an index of it by VM
 * is built once per version: a refresh of N VMs then finds each VM and its checkpoints without
 * scanning the fleet N times. A working copy inside a mutation is not frozen and is scanned.
 */

interface DocIndex {
    vms: Map<string, LabVm>;
    checkpoints: Map<string, LabCheckpoint[]>;
}

const indexes = new WeakMap<LabDocument, DocIndex>();

function indexOf(doc: LabDocument): DocIndex | undefined {
    if (!Object.isFrozen(doc)) return undefined;
    let index = indexes.get(doc);
    if (!index) {
        index = { vms: new Map(doc.vms.map((vm) => [vm.id, vm])), checkpoints: new Map() };
        for (const cp of doc.checkpoints) {
            const list = index.checkpoints.get(cp.vmId);
            if (list) list.push(cp);
            else index.checkpoints.set(cp.vmId, [cp]);
        }
        indexes.set(doc, index);
    }
    return index;
}

/** A VM's checkpoints in the document's order, which is creation order: oldest first. */
export function checkpointsOf(doc: LabDocument, vmId: string): LabCheckpoint[] {
    const index = indexOf(doc);
    return index ? [...(index.checkpoints.get(vmId) ?? [])] : doc.checkpoints.filter((c) => c.vmId === vmId);
}

/** The VM of this (lower-case) id. */
export function vmOfId(doc: LabDocument, vmId: string): LabVm | undefined {
    const index = indexOf(doc);
    return index ? index.vms.get(vmId) : doc.vms.find((v) => v.id === vmId);
}
