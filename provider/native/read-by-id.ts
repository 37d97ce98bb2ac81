import type { HostFor, VmRef } from "../host";
import { GUID_PATTERN } from "../host";
import { planAdoption } from "../import/adoption";
import { adoptGroup, parseGroupImportId } from "../import/group-adoption";
import { withoutUndefined } from "../shared/objects";
import { NATIVE_TYPES } from "./tokens";

/*
 * `pulumi import hyperv:index:<Type> <name> <id>`: the engine reads the resource by its id alone,
 * with no state. The declaration and outputs are what `hyperv-import` adopts (import/adoption),
 * so an imported resource is recorded as an adopted one, and its declaration matches the host:
 * the code the engine writes from it gives a no-change `up`.
 *
 *   VmCheckpointPolicy  <vm id>
 *   Checkpoint          <vm name or id>/<checkpoint id>
 *   CheckpointGroup     <vm>[,<vm>...]/<checkpoint name>   (see import/group-adoption)
 */

export interface ReadById {
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

function vmRef(text: string): VmRef {
    return GUID_PATTERN.test(text) ? { id: text.toLowerCase() } : { name: text };
}

/** The resource `id` names, as adopting it would record it; undefined when the host has no such resource. */
export async function readById(hostFor: HostFor, type: string, id: string): Promise<ReadById | undefined> {
    let ref: VmRef;
    let wanted: string;
    if (type === NATIVE_TYPES.VmCheckpointPolicy) {
        ref = vmRef(id);
        wanted = "policy";
    } else if (type === NATIVE_TYPES.Checkpoint) {
        const slash = id.lastIndexOf("/");
        if (slash < 1) throw new Error(`import a Checkpoint by "<vm name or id>/<checkpoint id>" (Get-VMSnapshot -VMName <vm> | Select Id), not "${id}"`);
        ref = vmRef(id.slice(0, slash));
        wanted = id.slice(slash + 1).toLowerCase();
    } else {
        const { vms, name } = parseGroupImportId(id, (v) => GUID_PATTERN.test(v));
        const { inputs, outputs } = await adoptGroup(hostFor, vms, name);
        // Its checkpoints' ids, joined: the same import gives the same id (a group Pulumi takes gets a random one; no code finds a group by its id).
        return { id: outputs.members.map((m) => m.checkpointId).join(","), inputs: withoutUndefined(inputs), outputs: withoutUndefined(outputs) };
    }
    const host = hostFor(undefined);
    const listing = await host.getVmWithCheckpoints(ref);
    const plan = planAdoption([{ ref, listing }], { policies: wanted === "policy", checkpoints: wanted !== "policy", protect: false }, host.displayName);
    const found = plan.resources.find((r) => (wanted === "policy" ? r.kind === "policy" : r.kind === "checkpoint" && r.entry.id === wanted));
    if (!found) {
        const skipped = plan.skipped.find((s) => s.includes(wanted));
        if (skipped) throw new Error(`cannot import ${skipped}`);
        return undefined;
    }
    const { __provider: _i, ...inputs } = found.entry.inputs;
    const { __provider: _o, ...outputs } = found.entry.outputs;
    return { id: found.entry.id, inputs, outputs };
}
