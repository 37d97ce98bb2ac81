import { randomUUID } from "node:crypto";
import { z } from "zod";
import { checkpointTypeSchema, vmStateSchema } from "../host/model";
import { compareVersions } from "../host/rules";
import { DEFAULT_MEMORY_MB, type LabDocument, type LabVm } from "./document";
import { createBaseDisk } from "./files";
import { BACKUP_SERVICE_GUID, integrationServiceNames } from "./messages";
import { osProfiles } from "./os";
import type { Transaction } from "./store";
import { windowsJoin } from "./volumes";

/** Where Hyper-V keeps configuration and checkpoint files unless told otherwise. */
export const DEFAULT_FILE_LOCATION = "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V";
export const DEFAULT_DISK_FOLDER = "C:\\Hyper-V\\Virtual Hard Disks";

/** A VM as the operator creates it in Hyper-V Manager; absent fields take Hyper-V's defaults. */
export const newVmSchema = z.object({
    name: z.string().min(1),
    state: vmStateSchema.default("Off"),
    /** Defaults to the newest version the host creates; capped to it. */
    version: z
        .string()
        .regex(/^\d+\.\d+$/)
        .optional(),
    checkpointType: checkpointTypeSchema.default("Production"),
    checkpointFileLocation: z.string().default(DEFAULT_FILE_LOCATION),
    automaticCheckpointsEnabled: z.boolean().default(false),
    /** The backup (volume shadow copy) integration service: enabled, disabled, or absent. */
    backupService: z.enum(["enabled", "disabled", "none"]).default("enabled"),
    guestBackupResponding: z.boolean().default(true),
    memoryMB: z.number().int().positive().default(DEFAULT_MEMORY_MB),
});
export type NewVm = z.input<typeof newVmSchema>;

export function createVm(doc: LabDocument, tx: Transaction, input: NewVm): LabVm {
    const spec = newVmSchema.parse(input);
    const id = randomUUID();
    const maxVersion = osProfiles[doc.host.os].maxVmVersion;
    const version = spec.version && compareVersions(spec.version, maxVersion) <= 0 ? spec.version : maxVersion;
    const integrationServices = Object.keys(integrationServiceNames)
        .filter((guid) => guid !== BACKUP_SERVICE_GUID || spec.backupService !== "none")
        .map((guid) => ({ id: `Microsoft:${id.toUpperCase()}\\${guid}`, enabled: guid !== BACKUP_SERVICE_GUID || spec.backupService === "enabled" }));
    const vm: LabVm = {
        id,
        name: spec.name,
        state: spec.state,
        version,
        memoryMB: spec.memoryMB,
        checkpointType: spec.checkpointType,
        checkpointFileLocation: spec.checkpointFileLocation,
        automaticCheckpointsEnabled: spec.automaticCheckpointsEnabled,
        parentCheckpointId: null,
        integrationServices,
        guestBackupResponding: spec.guestBackupResponding,
        hardDrives: [],
        diskFiles: [],
    };
    const disk = freeDiskPath(doc, spec.name);
    createBaseDisk(tx, vm, disk);
    vm.hardDrives = [disk];
    doc.vms.push(vm);
    return vm;
}

/**
 * VM names repeat, disk file names cannot. A file name holds no character Windows forbids nor a
 * line break, and stays within what a file system stores (255 bytes, leaving room for the
 * differencing disks' "_<GUID>.avhdx"): Hyper-V names can be longer in bytes than that.
 */
function freeDiskPath(doc: LabDocument, name: string): string {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse them
    let safe = name.replace(/[<>:"|?*\\/\u0000-\u001f\u007f\u0085\u2028\u2029]/g, "_").trim() || "vm";
    while (Buffer.byteLength(safe, "utf8") > 160) safe = [...safe].slice(0, -1).join("");
    const taken = new Set(doc.vms.flatMap((v) => v.diskFiles.map((d) => d.path.toLowerCase())));
    for (let n = 1; ; n++) {
        const candidate = windowsJoin(DEFAULT_DISK_FOLDER, n === 1 ? `${safe}.vhdx` : `${safe} (${n}).vhdx`);
        if (!taken.has(candidate.toLowerCase())) return candidate;
    }
}
