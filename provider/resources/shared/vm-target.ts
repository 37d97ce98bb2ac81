import { z } from "zod";
import { GUID_PATTERN, unpairedSurrogate, type VmRef } from "../../host";

/**
 * The fields every resource uses to name its VM and, optionally, a host other than the stack's.
 * Their doc comments are the SDK's: editors show them on the resources' arguments.
 */
export const vmTargetShape = {
    /** The VM's name. Names are not unique on Hyper-V: an ambiguous name is an error listing the ids. Changing it replaces the resource. */
    vmName: z
        .string()
        .min(1, "vmName must not be empty")
        .max(100, "vmName is at most 100 characters (Hyper-V's limit)")
        .refine((v) => unpairedSurrogate(v) === null, "vmName holds an unpaired UTF-16 surrogate, which cannot reach a host as text: remove it")
        .optional(),
    /** The VM's id (GUID), instead of vmName. Changing it replaces the resource. */
    vmId: z
        .string()
        .regex(GUID_PATTERN, { message: "vmId must be a VM's GUID, e.g. 6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11 (Get-VM | Select Name, Id)" })
        .transform((s) => s.toLowerCase())
        .optional(),
    /**
     * A host address other than the stack's `hyperv:host` (lab:<folder>, local, ssh://user@host,
     * winrm://host). Credentials always come from the stack's configuration. Changing it replaces the resource.
     */
    host: z.string().min(1).optional(),
};

export function requireOneVm(value: { vmName?: string | undefined; vmId?: string | undefined }, ctx: z.RefinementCtx): void {
    if (value.vmName === undefined && value.vmId === undefined) {
        ctx.addIssue({ code: "custom", path: ["vmName"], message: "name the VM: set vmName (its name) or vmId (its GUID)" });
    }
    if (value.vmName !== undefined && value.vmId !== undefined) {
        ctx.addIssue({ code: "custom", path: ["vmId"], message: "set either vmName or vmId, not both (vmId wins over renames; vmName is easier to read)" });
    }
}

export function vmRefOf(value: { vmName?: string | undefined; vmId?: string | undefined }): VmRef {
    return value.vmId !== undefined ? { id: value.vmId } : { name: value.vmName! };
}

/**
 * Whether a declaration still names the VM a resource manages (else the resource is replaced): by
 * its id, or by the name it has now or was declared with, so a VM renamed outside Pulumi is still
 * the same VM. Hosts are compared by the caller.
 */
export function namesManagedVm(
    managed: { vmId: string; vmName: string; vmNameDeclared?: string | undefined },
    declared: { vmName?: string | undefined; vmId?: string | undefined },
): boolean {
    if (declared.vmId !== undefined) return declared.vmId === managed.vmId;
    return declared.vmName === managed.vmName || declared.vmName === managed.vmNameDeclared;
}
