import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { roleNames } from "./roles";

/*
 * The stack's `fleet:*` configuration, validated once at the start: a typo in a role or a VM name
 * stops the program before anything is registered, with the key and the reason.
 *
 *   fleet:vms             map of VM name to role, e.g. { "sql01": "server", "dev01": "development" }
 *   fleet:checkpointRoot  optional folder on another volume, e.g. E:\Checkpoints: VMs whose
 *                         entry says { "role": ..., "ownFolder": true } keep their checkpoint
 *                         files in <root>\<vm> (Hyper-V allows it only while a VM has no checkpoints)
 */
const roleSchema = z.enum(roleNames);
const vmEntrySchema = z.union([
    roleSchema.transform((role) => ({ role, ownFolder: false })),
    z.object({ role: roleSchema, ownFolder: z.boolean().default(false) }).strict(),
]);

export const fleetConfigSchema = z
    .object({
        vms: z.record(z.string().trim().min(1, "a VM name is empty"), vmEntrySchema).refine((vms) => Object.keys(vms).length > 0, "names no VM"),
        checkpointRoot: z
            .string()
            .regex(/^[A-Za-z]:\\/, "must be an absolute Windows folder such as E:\\Checkpoints")
            .optional(),
    })
    .refine((c) => c.checkpointRoot !== undefined || Object.values(c.vms).every((vm) => !vm.ownFolder), {
        message: "a VM asks for ownFolder but fleet:checkpointRoot is not set",
        path: ["checkpointRoot"],
    });

export type FleetConfig = z.infer<typeof fleetConfigSchema>;

/** Reads and validates `fleet:*`; an invalid value throws naming the key and the fix. */
export function readFleetConfig(): FleetConfig {
    const config = new pulumi.Config("fleet");
    const parsed = fleetConfigSchema.safeParse({
        vms: config.requireObject<unknown>("vms"),
        checkpointRoot: config.get("checkpointRoot"),
    });
    if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const [key, ...rest] = issue.path.map(String);
        throw new Error(
            `invalid stack configuration fleet:${key ?? "vms"}${rest.length ? ` (${rest.join(".")})` : ""}: ${issue.message}; roles are ${roleNames.join(", ")}`,
        );
    }
    return parsed.data;
}
