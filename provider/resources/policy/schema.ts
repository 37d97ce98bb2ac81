import { z } from "zod";
import { checkpointTypeSchema } from "../../host";
import { requireOneVm, vmTargetShape } from "../shared/vm-target";
import { windowsFolderSchema } from "../shared/windows-path";
import { takeLimitFields, vmDiskShape } from "../shared/disk-outputs";

/**
 * What a program declares for a VM's checkpoint behaviour besides the VM. A field left unset is not
 * managed. The doc comments are the SDK's: editors show them on VmCheckpointPolicyArgs, derived from this shape.
 */
export const policyFields = {
    /**
     * "production": application-consistent checkpoints through the guest's VSS, no memory state
     * (for servers). "standard": memory and device state included (for test and development).
     * Unset: the VM's type is left as it is.
     */
    type: z.enum(["production", "standard"], { message: 'type must be "production" or "standard"' }).optional(),
    /**
     * With type "production": fall back to a standard checkpoint when a production one cannot be
     * made (Hyper-V's `Production`, its default). false: fail instead (`ProductionOnly`).
     */
    fallbackToStandard: z.boolean({ message: "fallbackToStandard must be true or false" }).optional(),
    /** true: no checkpoints can be taken or applied on this VM (`Disabled`). The declared type applies again when set back to false. */
    disabled: z.boolean({ message: "disabled must be true or false" }).optional(),
    /** Absolute folder on the host for checkpoint files (.vmcx, .vmrs). Hyper-V lets it change only while the VM has no checkpoints. */
    fileLocation: windowsFolderSchema("fileLocation").optional(),
    /** Whether Hyper-V takes a checkpoint when the VM starts (Windows Server 2019 / Windows 10 1709 and later). */
    automaticCheckpoints: z.boolean({ message: "automaticCheckpoints must be true or false" }).optional(),
    /** Enable the "Backup (volume shadow copy)" integration service that production checkpoints need. */
    ensureBackupIntegration: z.boolean({ message: "ensureBackupIntegration must be true or false" }).optional(),
    ...takeLimitFields,
    /**
     * On a cluster: accept a fileLocation on one node's own disks for a clustered VM, knowing its
     * checkpoints are lost when the VM fails over. Without it such a location is refused.
     */
    allowLocalFileLocation: z.boolean({ message: "allowLocalFileLocation must be true or false" }).optional(),
};

export const policyInputsSchema = z
    .object({
        ...vmTargetShape,
        ...policyFields,
        /** Set by the SDK (pulumi.createUrn), so that warnings of a delete can be shown on this resource. */
        resourceUrn: z.string().optional(),
    })
    .superRefine((value, ctx) => {
        requireOneVm(value, ctx);
        if (value.fallbackToStandard !== undefined && value.type !== "production") {
            ctx.addIssue({
                code: "custom",
                path: ["fallbackToStandard"],
                message: 'fallbackToStandard applies to production checkpoints only: set type: "production", or remove fallbackToStandard',
            });
        }
        if (value.ensureBackupIntegration && value.type === "standard") {
            ctx.addIssue({
                code: "custom",
                path: ["ensureBackupIntegration"],
                message: 'ensureBackupIntegration is for production checkpoints: set type: "production", or remove ensureBackupIntegration',
            });
        }
    });
export type PolicyInputs = z.infer<typeof policyInputsSchema>;

const settingsSchema = z.object({
    /** Hyper-V's CheckpointType (null on hosts without checkpoint types). */
    checkpointType: checkpointTypeSchema.nullable(),
    fileLocation: z.string(),
    automaticCheckpoints: z.boolean().nullable(),
    backupIntegrationEnabled: z.boolean().nullable(),
});
export type PolicySettings = z.infer<typeof settingsSchema>;

/** What a VmCheckpointPolicy reports (its outputs in the SDK): the live settings, read from the host. */
export const policyResultShape = {
    /** The VM's id. */
    vmId: z.string(),
    /** The VM's name as last read from the host. */
    vmName: z.string(),
    /** The CheckpointType in force on the host (null on hosts without checkpoint types). */
    checkpointType: checkpointTypeSchema.nullable(),
    checkpointFileLocation: z.string(),
    automaticCheckpointsEnabled: z.boolean().nullable(),
    /**
     * Whether the backup (volume shadow copy) integration service is enabled (null: the VM has
     * none). Absent in state written before it was recorded (a refresh fills it in).
     */
    backupIntegrationEnabled: z.boolean().nullable().default(null),
    /** The VM's configuration version, e.g. "9.0"; production checkpoints need 6.2 or later. */
    configurationVersion: z.string(),
    /** Whether a production checkpoint could be made right now. */
    productionCheckpointPossible: z.boolean(),
    /** Why not (version, backup service, guest, VM state), or null. */
    productionBlockedBy: z.string().nullable(),
    /** The settings the VM had before this resource took over; destroy puts them back. */
    priorSettings: settingsSchema,
    /** A declared fileLocation that waits until the VM has no checkpoints (the next `up` applies it, see applyPolicy), or null. */
    fileLocationPending: z.string().nullable().default(null),
    /** What the last operation could not do and why; also shown as a warning on this resource. */
    warning: z.string().nullable().default(null),
    ...vmDiskShape,
};

/**
 * What the resource records. Besides the declared inputs it holds the live settings (read from the
 * host, so drift shows in diffs: see liveSettings) and the settings the VM had before the
 * resource took over.
 */
export const policyOutputsSchema = z.object({
    ...vmTargetShape,
    /** The vmName the user declared, if any (vmName is the VM's name as last read). */
    vmNameDeclared: z.string().optional(),
    type: z.enum(["production", "standard"]).optional(),
    fallbackToStandard: z.boolean().optional(),
    disabled: z.boolean().optional(),
    fileLocation: z.string().optional(),
    automaticCheckpoints: z.boolean().optional(),
    ensureBackupIntegration: z.boolean().optional(),
    minFreeSpace: takeLimitFields.minFreeSpace,
    maxChainDepth: takeLimitFields.maxChainDepth,
    allowLocalFileLocation: z.boolean().optional(),
    resourceUrn: z.string().optional(),
    ...policyResultShape,
});
export type PolicyOutputs = z.infer<typeof policyOutputsSchema>;
