import type { Checkpoint, VmRef, VmWithCheckpoints } from "../host";
import { isHostError } from "../host";
import { refuseAdoption } from "../resources/checkpoint/adoption-guard";
import { adoptedOutputs } from "../resources/checkpoint/outputs";
import { checkpointInputsSchema, type CheckpointInputs } from "../resources/checkpoint/schema";
import { policyOutputs } from "../resources/policy/outputs";
import { settingsOf } from "../resources/policy/plan";
import { policyInputsSchema, type PolicyInputs } from "../resources/policy/schema";
import { serialisedProvider } from "../resources/shared/serialised-provider";
import { withoutUndefined } from "../shared/objects";
import { slug, UniqueNames, variableOf } from "./names";

/*
 * Adoption through the engine's `pulumi import --file` (Pulumi >= 3.254, whose import files may
 * carry a resource's inputs and outputs). Pulumi cannot import a dynamic resource from an id alone
 * (pulumi/pulumi#3550, #16175): the engine's Read of an imported resource carries no state, so the
 * dynamic provider host finds no serialised provider to run. When the import file gives the
 * outputs, the engine skips that Read and stores what the file says; it still calls Check with the
 * inputs, so both must carry `__provider`, the serialised provider a program would record.
 *
 * This module turns listings read from a host into such a file, and into the TypeScript that
 * declares the same resources: the engine cannot generate that code for dynamic resources (the
 * dynamic provider has no schema), so the program must come from here.
 */

export const POLICY_TYPE = "pulumi-nodejs:dynamic/hyperv:VmCheckpointPolicy";
export const CHECKPOINT_TYPE = "pulumi-nodejs:dynamic/hyperv:Checkpoint";

/** One resource of a `pulumi import --file` file, with the fields of Pulumi 3.254 and later. */
export interface ImportFileResource {
    type: string;
    name: string;
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

export interface ImportFile {
    resources: ImportFileResource[];
}

/** A VM the user chose, as they named it (a name, or an id), with what the host reported. */
export interface ChosenVm {
    ref: VmRef;
    listing: VmWithCheckpoints;
}

export interface AdoptionOptions {
    policies: boolean;
    checkpoints: boolean;
    /** Declare this host address in every resource (for a stack whose hyperv:host names another host). */
    host?: string;
    /**
     * Protect the adopted resources, as `pulumi import` does unless given --protect=false: the code
     * then says `protect: true` too, so that state and program agree.
     */
    protect: boolean;
}

/** A resource of the plan, with the program's declaration of it. */
export interface AdoptedResource {
    kind: "policy" | "checkpoint";
    name: string;
    variable: string;
    vmName: string;
    inputs: PolicyInputs | CheckpointInputs;
    /** The policy's variable, for a checkpoint of a VM whose policy is adopted too. */
    dependsOn?: string;
    entry: ImportFileResource;
}

export interface AdoptionPlan {
    resources: AdoptedResource[];
    protect: boolean;
    /** What was left out, and why (automatic, Recovery or Replica checkpoints, names the provider refuses). */
    skipped: string[];
    /** Declarations changed from what the host has, and why (e.g. a file location the provider refuses). */
    notes: string[];
}

/** The import file and the program's declarations for the chosen VMs. */
export function planAdoption(vms: ChosenVm[], options: AdoptionOptions, hostName: string): AdoptionPlan {
    const names = new UniqueNames();
    const resources: AdoptedResource[] = [];
    const skipped: string[] = [];
    const notes: string[] = [];
    const seen = new Set<string>();
    for (const { ref, listing } of vms) {
        const { vm } = listing;
        if (seen.has(vm.id)) continue;
        seen.add(vm.id);
        const target = "id" in ref ? { vmId: vm.id } : { vmName: vm.name };
        const hostField = options.host !== undefined ? { host: options.host } : {};
        let policyVariable: string | undefined;
        if (options.policies) {
            const { inputs, dropped } = policyDeclaration(listing, { ...target, ...hostField });
            notes.push(...dropped.map((d) => `VM "${vm.name}" (${vm.id}): ${d}`));
            const name = names.take(slug(vm.name) || "vm");
            const outputs = { ...withoutUndefined(policyOutputs(inputs, vm, settingsOf(vm), listing.storage)), __provider: serialisedProvider("policy") };
            policyVariable = variableOf(name, names);
            resources.push({
                kind: "policy",
                name,
                variable: policyVariable,
                vmName: vm.name,
                inputs,
                entry: { type: POLICY_TYPE, name, id: vm.id, inputs: { ...inputs, __provider: serialisedProvider("policy") }, outputs },
            });
        }
        if (!options.checkpoints) continue;
        for (const cp of listing.checkpoints) {
            const refusal = whyNotAdoptable(cp, listing, hostName);
            if (refusal) {
                skipped.push(`VM "${vm.name}": checkpoint "${cp.name}" (${cp.id}): ${refusal}`);
                continue;
            }
            const parsed = checkpointInputsSchema.safeParse({ ...target, ...hostField, name: cp.name });
            if (!parsed.success) {
                skipped.push(`VM "${vm.name}": checkpoint "${cp.name}" (${cp.id}): ${parsed.error.issues[0]!.message}`);
                continue;
            }
            const inputs: CheckpointInputs = { ...target, ...hostField, name: cp.name };
            const name = names.take(`${slug(vm.name) || "vm"}-${slug(cp.name) || "checkpoint"}`);
            const outputs = { ...withoutUndefined(adoptedOutputs(inputs, vm, cp, listing.storage)), __provider: serialisedProvider("checkpoint") };
            resources.push({
                kind: "checkpoint",
                name,
                variable: variableOf(name, names),
                vmName: vm.name,
                inputs,
                ...(policyVariable ? { dependsOn: policyVariable } : {}),
                entry: { type: CHECKPOINT_TYPE, name, id: cp.id, inputs: { ...inputs, __provider: serialisedProvider("checkpoint") }, outputs },
            });
        }
    }
    return { resources, protect: options.protect, skipped, notes };
}

export function importFileOf(plan: AdoptionPlan): ImportFile {
    return { resources: plan.resources.map((r) => r.entry) };
}

/**
 * A declaration of the VM's settings as they are, so adopting writes nothing and a later drift is
 * put back. A setting the provider would refuse to declare (e.g. a file location it does not
 * accept) is left unmanaged, and said so.
 */
function policyDeclaration({ vm }: VmWithCheckpoints, base: Pick<PolicyInputs, "vmName" | "vmId" | "host">): { inputs: PolicyInputs; dropped: string[] } {
    const inputs: PolicyInputs = { ...base };
    switch (vm.checkpointType) {
        case "Production":
            Object.assign(inputs, { type: "production", fallbackToStandard: true });
            break;
        case "ProductionOnly":
            Object.assign(inputs, { type: "production", fallbackToStandard: false });
            break;
        case "Standard":
            inputs.type = "standard";
            break;
        case "Disabled":
            inputs.disabled = true;
            break;
        case null:
            break; // a host without checkpoint types
    }
    inputs.fileLocation = vm.checkpointFileLocation;
    if (vm.automaticCheckpointsEnabled !== null) inputs.automaticCheckpoints = vm.automaticCheckpointsEnabled;
    const dropped: string[] = [];
    for (;;) {
        const parsed = policyInputsSchema.safeParse(inputs);
        if (parsed.success) return { inputs, dropped };
        const field = String(parsed.error.issues[0]!.path[0] ?? "");
        if (!(field in inputs) || field === "vmName" || field === "vmId" || field === "host") {
            throw new Error(`VM "${vm.name}" (${vm.id}): cannot declare its policy: ${parsed.error.issues[0]!.message}`);
        }
        dropped.push(`${field} left unmanaged: ${parsed.error.issues[0]!.message}`);
        delete (inputs as Record<string, unknown>)[field];
    }
}

/** Why the provider would refuse to adopt this checkpoint (the rule adoptId follows), or null. */
function whyNotAdoptable(cp: Checkpoint, { vm }: VmWithCheckpoints, hostName: string): string | null {
    try {
        refuseAdoption(cp, hostName, vm);
        return null;
    } catch (e) {
        if (!isHostError(e, "CheckpointNotAdoptable")) throw e;
        return cp.isAutomatic
            ? "an automatic checkpoint, which Hyper-V manages itself"
            : `a ${cp.snapshotType} checkpoint, which belongs to Hyper-V Replica or backup software`;
    }
}
