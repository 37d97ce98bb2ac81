import { randomUUID } from "node:crypto";
import { z } from "zod";
import { HostError } from "../host/errors";
import { checkpointTypeSchema, vmStateSchema } from "../host/model";
import { compareVersions } from "../host/rules";
import { DEFAULT_MEMORY_MB, type LabDocument, type LabVm } from "./document";
import { createBaseDisk } from "./files";
import { BACKUP_SERVICE_GUID, integrationServiceNames } from "./messages";
import { osProfiles } from "./os";
import type { Transaction } from "./store";
import { windowsJoin } from "./volumes";
import { DEFAULT_CLUSTER_VOLUME, nodeNamed } from "./cluster";

/** Where Hyper-V keeps configuration and checkpoint files unless told otherwise. */
export const DEFAULT_FILE_LOCATION = "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V";
export const DEFAULT_DISK_FOLDER = "C:\\Hyper-V\\Virtual Hard Disks";
/** A clustered role keeps its files on the shared volume, where every node can start it (README.md, "Clusters"). */
export const CLUSTERED_FILE_LOCATION = `${DEFAULT_CLUSTER_VOLUME}\\Hyper-V`;
export const CLUSTERED_DISK_FOLDER = `${DEFAULT_CLUSTER_VOLUME}\\Virtual Hard Disks`;

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
    /** Default: Hyper-V's own, or for a clustered VM a folder on the cluster's shared volume. */
    checkpointFileLocation: z.string().optional(),
    automaticCheckpointsEnabled: z.boolean().default(false),
    /** The backup (volume shadow copy) integration service: enabled, disabled, or absent. */
    backupService: z.enum(["enabled", "disabled", "none"]).default("enabled"),
    guestBackupResponding: z.boolean().default(true),
    memoryMB: z.number().int().positive().default(DEFAULT_MEMORY_MB),
    /** In a cluster lab: the node that owns the VM (required there, refused on a stand-alone lab). */
    node: z.string().min(1).optional(),
    /** A clustered role: its files default to the cluster's shared volume, and it fails over. */
    clustered: z.boolean().default(false),
});
export type NewVm = z.input<typeof newVmSchema>;

export function createVm(doc: LabDocument, tx: Transaction, input: NewVm): LabVm {
    const spec = newVmSchema.parse(input);
    const ownerNode = placement(doc, spec);
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
        checkpointFileLocation: spec.checkpointFileLocation ?? (spec.clustered ? CLUSTERED_FILE_LOCATION : DEFAULT_FILE_LOCATION),
        automaticCheckpointsEnabled: spec.automaticCheckpointsEnabled,
        parentCheckpointId: null,
        integrationServices,
        guestBackupResponding: spec.guestBackupResponding,
        hardDrives: [],
        diskFiles: [],
        ownerNode,
        clustered: spec.clustered,
        migration: null,
        merge: null,
        mergeFailure: null,
        diskMergeEnabled: true,
    };
    const disk = freeDiskPath(doc, spec.name, spec.clustered ? CLUSTERED_DISK_FOLDER : DEFAULT_DISK_FOLDER);
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
function freeDiskPath(doc: LabDocument, name: string, folder: string): string {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse them
    let safe = name.replace(/[<>:"|?*\\/\u0000-\u001f\u007f\u0085\u2028\u2029]/g, "_").trim() || "vm";
    while (Buffer.byteLength(safe, "utf8") > 160) safe = [...safe].slice(0, -1).join("");
    const taken = new Set(doc.vms.flatMap((v) => v.diskFiles.map((d) => d.path.toLowerCase())));
    for (let n = 1; ; n++) {
        const candidate = windowsJoin(folder, n === 1 ? `${safe}.vhdx` : `${safe} (${n}).vhdx`);
        if (!taken.has(candidate.toLowerCase())) return candidate;
    }
}

/** The node a new VM runs on: every VM of a cluster lab has one; a stand-alone lab has no nodes. */
function placement(doc: LabDocument, spec: z.infer<typeof newVmSchema>): string | null {
    const context = { host: doc.host.computerName, vm: spec.name, operation: "add VM" };
    if (!doc.host.cluster) {
        if (spec.node !== undefined || spec.clustered) {
            throw new HostError("HostFailure", "this lab is one stand-alone host: its VMs have no node and are not clustered", context, {
                hint: "leave out --node and --clustered, or make a cluster lab with `hyperv-lab init --cluster <nodes>`",
            });
        }
        return null;
    }
    if (spec.node === undefined) {
        throw new HostError("HostFailure", "a VM of a cluster lab runs on one node: name it", context, {
            hint: `add --node with one of ${doc.host.cluster.nodes.map((n) => n.name).join(", ")}`,
        });
    }
    const node = nodeNamed(doc, spec.node, context);
    if (node.state === "Down")
        throw new HostError("HostUnreachable", `cluster node ${node.name} is down`, context, { hint: "start it first, or choose another node" });
    return node.name;
}
