import type { ErrorContext } from "../host/errors";
import type { VmRef } from "../host/model";
import { sameIgnoringCase } from "../host/text";
import type { LabCheckpoint, LabDocument, LabVm } from "./document";
import { vmOfId } from "./doc-index";
import { ownedBy } from "./cluster";
import { fail, type FailureScope } from "./refusals";

export function scopeOf(doc: LabDocument, context: ErrorContext, hints?: FailureScope["hints"]): FailureScope {
    return { language: doc.host.language, context, ...(hints ? { hints } : {}) };
}

export function findVmById(doc: LabDocument, vmId: string, scope: FailureScope): LabVm {
    const vm = vmOfId(doc, vmId.toLowerCase());
    if (!vm) throw fail.vmNotFoundById(scope, vmId);
    scope.context.vm = vm.name;
    scope.context.vmId = vm.id;
    return vm;
}

/**
 * By id, or by exact name (Hyper-V compares names ordinally without case; names repeat). On a
 * cluster node, among the VMs that node owns: Get-VM on a node lists its own VMs only.
 */
export function resolveVm(doc: LabDocument, ref: VmRef, scope: FailureScope, node?: string): LabVm {
    if ("id" in ref) {
        const vm = findVmById(doc, ref.id, scope);
        if (node !== undefined && !(vm.ownerNode !== null && sameIgnoringCase(vm.ownerNode, node))) throw fail.vmNotFoundById(scope, ref.id);
        return vm;
    }
    const matches = (node === undefined ? doc.vms : ownedBy(doc, node)).filter((v) => sameIgnoringCase(v.name, ref.name));
    if (matches.length === 0) throw fail.vmNotFoundByName(scope, ref.name);
    if (matches.length > 1)
        throw fail.ambiguousVmName(
            scope,
            ref.name,
            matches.map((v) => v.id),
        );
    const vm = matches[0] as LabVm;
    scope.context.vm = vm.name;
    scope.context.vmId = vm.id;
    return vm;
}

export function findCheckpoint(doc: LabDocument, vm: LabVm, checkpointId: string, scope: FailureScope): LabCheckpoint {
    const cp = doc.checkpoints.find((c) => c.id === checkpointId.toLowerCase() && c.vmId === vm.id);
    if (!cp) throw fail.checkpointNotFound(scope);
    scope.context.checkpoint = cp.name;
    return cp;
}
