import { z } from "zod";
import { unpairedSurrogate, type VmRef } from "../../host";

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The fields every resource uses to name its VM and, optionally, a host other than the stack's. */
export const vmTargetShape = {
    vmName: z
        .string()
        .min(1, "vmName must not be empty")
        .max(100, "vmName is at most 100 characters (Hyper-V's limit)")
        .refine((v) => unpairedSurrogate(v) === null, "vmName holds an unpaired UTF-16 surrogate, which cannot reach a host as text: remove it")
        .optional(),
    vmId: z
        .string()
        .regex(GUID, { message: "vmId must be a VM's GUID, e.g. 6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11 (Get-VM | Select Name, Id)" })
        .transform((s) => s.toLowerCase())
        .optional(),
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

/** Whether two declarations name the same VM on the same host (else the resource is replaced). */
export function sameTarget(
    a: { vmName?: string | undefined; vmId?: string | undefined; host?: string | undefined },
    b: { vmName?: string | undefined; vmId?: string | undefined; host?: string | undefined },
): boolean {
    return a.vmName === b.vmName && a.vmId === b.vmId && a.host === b.host;
}
