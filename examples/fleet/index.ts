import * as pulumi from "@pulumi/pulumi";
import * as hyperv from "hyperv-checkpoints";
import { readFleetConfig } from "./config";
import { roles, type Role } from "./roles";

// One VmCheckpointPolicy per VM of the fleet, from its role. Adding a VM to the fleet is one line
// of stack configuration: `pulumi config set --path 'fleet:vms.web02' server`.
const fleet = readFleetConfig();

const policies = Object.entries(fleet.vms).map(([vmName, { role, ownFolder }]) => ({
    vmName,
    role,
    policy: new hyperv.VmCheckpointPolicy(vmName, {
        vmName,
        ...roles[role],
        ...(ownFolder ? { fileLocation: `${fleet.checkpointRoot!.replace(/\\+$/, "")}\\${vmName}` } : {}),
    }),
}));

/** The VMs of each role. */
export const byRole = policies.reduce<Partial<Record<Role, string[]>>>((acc, { vmName, role }) => {
    (acc[role] ??= []).push(vmName);
    return acc;
}, {});

/** What each VM's checkpoint type is now, from the host. */
export const checkpointTypes = pulumi.all(Object.fromEntries(policies.map(({ vmName, policy }) => [vmName, policy.checkpointType])));

/** VMs whose role wants production checkpoints that the host cannot make right now, and why. */
export const productionBlocked = pulumi
    .all(
        policies
            .filter(({ role }) => "type" in roles[role] && roles[role].type === "production")
            .map(({ vmName, policy }) =>
                pulumi
                    .all([policy.productionCheckpointPossible, policy.productionBlockedBy])
                    .apply(([possible, why]) => (possible ? undefined : `${vmName}: ${why}`)),
            ),
    )
    .apply((lines) => lines.filter((l): l is string => l !== undefined));
