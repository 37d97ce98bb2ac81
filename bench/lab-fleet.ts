import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initLab } from "../provider/lab";
import { updateLab } from "../provider/lab/store";
import { createVm, type NewVm } from "../provider/lab/vms";

/** VM names of the fleet, as the bench program declares them (vm0, vm1, ...). */
export function fleetVmName(i: number): string {
    return `vm${i}`;
}

/**
 * A lab holding `vms` VMs (by default Off, Production, backup integration on; `spec` changes
 * that), added in one transaction so that setting up 500 VMs does not cost 500 writes.
 */
export async function fleetLab(vms: number, parent = os.tmpdir(), spec: Partial<Omit<NewVm, "name">> = {}, clusterNodes?: number): Promise<string> {
    const folder = fs.mkdtempSync(path.join(parent, "bench-lab-"));
    await initLab(folder, clusterNodes === undefined ? {} : { clusterNodes });
    // On a cluster lab, the VMs are clustered roles dealt over the nodes in turn.
    const placed = (i: number) => (clusterNodes === undefined ? {} : { node: `node${(i % clusterNodes) + 1}`, clustered: true });
    await updateLab(folder, { operation: "addVm" }, (doc, tx) => {
        for (let i = 0; i < vms; i++) createVm(doc, tx, { ...spec, ...placed(i), name: fleetVmName(i) } as NewVm);
    });
    return folder;
}
