import * as pulumi from "@pulumi/pulumi";
import * as hyperv from "hyperv-checkpoints";
import { z } from "zod";

/*
 * A host that has been run by hand for a while: VMs with settings, checkpoints people took. This
 * stack takes them over as they are. The first `pulumi up` changes nothing on the host; from then
 * on, the declaration below is how they are kept, and a change here is a change there.
 */

// Policies that state what the VMs already have: adopting them writes nothing, and a later
// drift (someone switching web01 to Standard by hand) is put back by the next `pulumi up`.
const web01 = new hyperv.VmCheckpointPolicy("web01", {
    vmName: "web01",
    type: "production",
    fallbackToStandard: true,
    fileLocation: "D:\\Checkpoints\\web01",
});
const dev01 = new hyperv.VmCheckpointPolicy("dev01", {
    vmName: "dev01",
    type: "standard",
    automaticCheckpoints: true,
});

// The checkpoints to adopt, by id (names repeat on Hyper-V; ids do not). List them on the host
// with `Get-VMSnapshot -VMName web01 | Select-Object Name, Id` (on the lab:
// `hyperv-lab show --json`) and put them in the stack's configuration:
//   pulumi config set --path 'adopt:checkpoints.webBeforeIisUpdate.vmName' web01
//   pulumi config set --path 'adopt:checkpoints.webBeforeIisUpdate.id' <checkpoint id>
const adoptConfigSchema = z.record(
    z.string().regex(/^[A-Za-z][\w-]*$/, "resource names are letters, digits, - and _"),
    z
        .object({
            vmName: z.string().min(1),
            id: z.guid("must be the checkpoint's Id, a GUID"),
        })
        .strict(),
);
const config = new pulumi.Config("adopt");
const parsed = adoptConfigSchema.safeParse(config.getObject<unknown>("checkpoints") ?? {});
if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid stack configuration adopt:checkpoints (${issue.path.join(".")}): ${issue.message}`);
}

const policyOf: Record<string, hyperv.VmCheckpointPolicy> = { web01, dev01 };
const adopted = Object.entries(parsed.data).map(
    ([resourceName, { vmName, id }]) =>
        new hyperv.Checkpoint(
            resourceName,
            { vmName, adoptId: id },
            {
                ...(policyOf[vmName] ? { dependsOn: [policyOf[vmName]] } : {}),
                // While the takeover is new, `pulumi destroy` hands the checkpoints back to the host
                // instead of deleting them (and merging their disks). Drop this once the stack owns them.
                retainOnDelete: true,
            },
        ),
);

export const settings = pulumi.all({ web01: web01.checkpointType, dev01: dev01.checkpointType });
export const checkpoints = pulumi.all(
    adopted.map((c) =>
        pulumi
            .all([c.id, c.vmName, c.checkpointName, c.kind, c.holdsMemory, c.adopted])
            .apply(([id, vmName, name, kind, holdsMemory, isAdopted]) => ({ id, vmName, name, kind, holdsMemory, adopted: isAdopted })),
    ),
);
