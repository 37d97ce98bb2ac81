import { readLab } from "../../../provider/lab";
import { sameIgnoringCase } from "../../../provider/host/text";
import {
    applyLabCheckpoint,
    queryLab,
    removeLabCheckpoint,
    renameLabCheckpoint,
    resumeLabVm,
    setVm,
    startLabVm,
    suspendLabVm,
    takeCheckpointOutOfBand,
} from "../../../provider/lab/operator";
import type { LabCheckpoint, LabDocument, LabVm } from "../../../provider/lab/document";
import { integrationServiceName } from "../../../provider/lab/messages";
import { osProfiles } from "../../../provider/lab/os";
import { checkpointsOf } from "../../../provider/lab/doc-index";
import { driveOf, fileSizeOf, memoryBytesOf, volumeOfDrive } from "../../../provider/lab/volume-space";
import { ownedBy, refuseIfDown } from "../../../provider/lab/cluster";
import { fail } from "../../../provider/lab/refusals";
import { mergeProgress } from "../../../provider/lab/merges";
import { scopeOf } from "../../../provider/lab/lookup";
import { CLUSTER_CMDLETS, runClusterCmdlet } from "./cluster-cmdlets";

/*
 * What each Hyper-V cmdlet does, at the level a cmdlet sees it: the stand-in module's cmdlets
 * (module/HyperVStandIn.cs) send their bound parameters here and get back objects of Hyper-V's
 * shapes, or the lab's refusal. Every state change goes through the lab's operator functions,
 * which apply the same rules as the lab host: one model of Hyper-V for both adapters. Reads and
 * mutations take the time the lab's latency profile says, as the lab host's do.
 *
 * On a cluster lab each shell is one node (HYPERV_STANDIN_NODE, sent with every call as `node`):
 * its Hyper-V cmdlets see and change only the VMs that node owns, as Hyper-V's module on a node
 * does (a session on node1 cannot act on node2's VMs), and a node that is down answers nothing.
 * The FailoverClusters cmdlets (cluster-cmdlets.ts) see the whole cluster from any node.
 */

type Parameters = Record<string, unknown>;

function vmShape(doc: LabDocument, vm: LabVm): Record<string, unknown> {
    const profile = osProfiles[doc.host.os];
    const parent = vm.parentCheckpointId ? doc.checkpoints.find((c) => c.id === vm.parentCheckpointId) : undefined;
    return {
        Name: vm.name,
        Id: vm.id,
        State: vm.state,
        Version: vm.version,
        SnapshotFileLocation: vm.checkpointFileLocation,
        ParentSnapshotId: vm.parentCheckpointId,
        ParentSnapshotName: parent?.name ?? null,
        HardDrives: vm.hardDrives,
        ComputerName: doc.host.computerName,
        MemoryStartup: memoryBytesOf(vm),
        MemoryAssigned: vm.state === "Running" || vm.state === "Paused" ? memoryBytesOf(vm) : 0,
        // Hyper-V adds MergingDisks while a removed checkpoint's disks merge in the background.
        OperationalStatus: mergeProgress(vm) ? ["Ok", "MergingDisks"] : ["Ok"],
        ...(profile.supportsCheckpointType ? { CheckpointType: vm.checkpointType } : {}),
        ...(profile.supportsAutomaticCheckpoints ? { AutomaticCheckpointsEnabled: vm.automaticCheckpointsEnabled } : {}),
    };
}

function snapshotShape(doc: LabDocument, vm: LabVm, cp: LabCheckpoint): Record<string, unknown> {
    const parent = cp.parentId ? doc.checkpoints.find((c) => c.id === cp.parentId) : undefined;
    return {
        Id: cp.id,
        Name: cp.name,
        VMId: vm.id,
        VMName: vm.name,
        SnapshotType: cp.snapshotType,
        IsAutomaticCheckpoint: cp.isAutomatic,
        ParentSnapshotId: cp.parentId,
        ParentSnapshotName: parent?.name ?? null,
        CreationTime: cp.creationTime,
        Path: cp.path,
        State: cp.vmState,
        HardDrives: cp.hardDrives,
        ComputerName: doc.host.computerName,
    };
}

function vmById(doc: LabDocument, id: unknown, node?: string): LabVm {
    const vm = visibleVms(doc, node).find((v) => v.id === String(id).toLowerCase());
    if (vm) return vm;
    // A VM object from an earlier Get-VM whose VM has since left this node: Hyper-V no longer finds it.
    if (node !== undefined) throw fail.vmNotFoundById(scopeOf(doc, { host: node }), String(id));
    throw new Error(`the stand-in was asked about a VM the lab does not have: ${String(id)}`);
}

/** The VMs a shell's Get-VM lists: on a cluster node, those it owns (a VM mid-migration is listed by its source). */
function visibleVms(doc: LabDocument, node: string | undefined): LabVm[] {
    return node === undefined ? doc.vms : ownedBy(doc, node);
}

function strings(value: unknown): string[] {
    return Array.isArray(value) ? value.map(String) : [];
}

/** Hyper-V's default checkpoint name: "<VM name> - (<local date and time>)". */
function defaultCheckpointName(vmName: string, at: Date): string {
    const two = (n: number) => String(n).padStart(2, "0");
    return `${vmName} - (${two(at.getMonth() + 1)}/${two(at.getDate())}/${at.getFullYear()} - ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())})`;
}

/**
 * One cmdlet call of a shell; `node` is the cluster node the shell runs on (absent on a stand-alone lab).
 */
export async function runCmdlet(lab: string, cmdlet: string, p: Parameters, node?: string): Promise<unknown> {
    // A node that is down answers nothing: tests stop its sshd as well, this is the stand-in's own guard.
    if (node !== undefined) refuseIfDown(readLab(lab), node, { host: `stand-in of ${lab}` });
    if (CLUSTER_CMDLETS.has(cmdlet)) return runClusterCmdlet(await queryLab(lab), cmdlet, p);
    switch (cmdlet) {
        case "Get-StandInPose": {
            const doc = readLab(lab);
            const profile = osProfiles[doc.host.os];
            return {
                supportsCheckpointType: profile.supportsCheckpointType,
                supportsAutomaticCheckpoints: profile.supportsAutomaticCheckpoints,
                caption: profile.caption,
                build: profile.build,
                // A cluster node's Win32_OperatingSystem names the node itself.
                computerName: node ?? doc.host.computerName,
            };
        }
        case "Get-VM": {
            const doc = await queryLab(lab);
            const ids = p.ids === undefined ? null : strings(p.ids).map((s) => s.toLowerCase());
            return visibleVms(doc, node)
                .filter((v) => ids === null || ids.includes(v.id))
                .map((v) => vmShape(doc, v));
        }
        case "Get-VMSnapshot": {
            const doc = await queryLab(lab);
            if (p.id !== undefined) {
                const cp = doc.checkpoints.find((c) => c.id === String(p.id).toLowerCase() && visibleVms(doc, node).some((v) => v.id === c.vmId));
                if (!cp) throw refusal("ObjectNotFound", "ObjectNotFound", "Unable to find a snapshot matching the given criteria.", String(p.id));
                return [snapshotShape(doc, vmById(doc, cp.vmId, node), cp)];
            }
            const vmIds = strings(p.vmIds);
            const names = strings(p.vmNames);
            const vms = visibleVms(doc, node).filter((v) => vmIds.includes(v.id) || names.includes(v.name));
            return vms.flatMap((vm) => checkpointsOf(doc, vm.id).map((cp) => snapshotShape(doc, vm, cp)));
        }
        case "Get-VHD": {
            const doc = await queryLab(lab);
            return strings(p.paths).map((path) => {
                const disk = doc.vms.flatMap((v) => v.diskFiles).find((d) => d.path.toLowerCase() === path.toLowerCase());
                if (!disk) throw refusal("InvalidParameter", "ObjectNotFound", `The system cannot find the file specified: '${path}'.`, path);
                return {
                    Path: disk.path,
                    ParentPath: disk.parentPath,
                    FileSize: fileSizeOf(disk),
                    VhdType: disk.parentPath === null ? "Dynamic" : "Differencing",
                    VhdFormat: /\.a?vhdx$/i.test(disk.path) ? "VHDX" : "VHD",
                };
            });
        }
        case "Get-StandInMergeJobs": {
            // Msvm_ConcreteJob of JobType 50 "Merging VHD Disks": one per VM merging, running (JobState 4),
            // and one per VM whose latest merge failed, ended in Exception (JobState 10) with Hyper-V's error.
            const doc = await queryLab(lab);
            return doc.vms.flatMap((vm) => {
                const merge = mergeProgress(vm);
                if (merge) return [{ InstanceID: `merge-${vm.id}`, JobType: 50, JobState: 4, PercentComplete: merge.percentComplete, AffectedVmId: vm.id }];
                const failure = vm.mergeFailure;
                if (!failure) return [];
                return [
                    {
                        InstanceID: `merge-${vm.id}`,
                        JobType: 50,
                        JobState: 10,
                        PercentComplete: failure.percentComplete,
                        ErrorCode: 32768,
                        ErrorDescription: failure.reason,
                        TimeOfLastStateChange: failure.at,
                        AffectedVmId: vm.id,
                    },
                ];
            });
        }
        case "Get-StandInMigrationJobs": {
            // Msvm_MigrationJob on the migration's source node, running (JobState 4), naming the VM
            // (VirtualSystemName: its id) and where it goes (DestinationHost: the node's name).
            const doc = await queryLab(lab);
            return doc.vms.flatMap((vm) =>
                vm.migration && (node === undefined || sameIgnoringCase(vm.migration.from, node))
                    ? [{ InstanceID: `migration-${vm.id}`, JobState: 4, VirtualSystemName: vm.id.toUpperCase(), DestinationHost: vm.migration.to }]
                    : [],
            );
        }
        case "Get-StandInDiskMergeSettings": {
            // Msvm_DiskMergeSettingData, one per VM, named as the VM's other setting data are (Microsoft:<VM id>\...).
            const doc = await queryLab(lab);
            return doc.vms.map((vm) => ({ InstanceID: `Microsoft:${vm.id.toUpperCase()}\\DiskMerge`, EnabledState: vm.diskMergeEnabled ? 1 : 0 }));
        }
        case "Get-StandInVolumes": {
            const doc = await queryLab(lab);
            const drives = new Set([
                ...doc.host.volumes.map((v) => v.drive),
                ...doc.vms.flatMap((v) => [...v.diskFiles.map((d) => driveOf(d.path)), driveOf(v.checkpointFileLocation)]),
            ]);
            return [...drives].sort().map((drive) => {
                const volume = volumeOfDrive(doc, drive);
                return { Name: volume.name, DriveLetter: `${drive}:`, Capacity: volume.capacity, FreeSpace: volume.freeSpace };
            });
        }
        case "Get-VMIntegrationService": {
            const doc = await queryLab(lab);
            return strings(p.ids).flatMap((id) => {
                const vm = vmById(doc, id, node);
                return vm.integrationServices.map((s) => ({
                    Name: integrationServiceName(doc.host.language, s.id),
                    Id: s.id,
                    Enabled: s.enabled,
                    PrimaryOperationalStatus: s.enabled && vm.state === "Running" && vm.guestBackupResponding ? "Ok" : "NoContact",
                    VMId: vm.id,
                    VMName: vm.name,
                }));
            });
        }
        case "Enable-VMIntegrationService":
            await setVm(lab, { id: String(p.vmId), node }, { backupServiceEnabled: true });
            return null;
        case "Set-VM": {
            const vm = await setVm(
                lab,
                { id: String(p.vmId), node },
                {
                    ...(p.CheckpointType !== undefined ? { checkpointType: p.CheckpointType as never } : {}),
                    ...(p.SnapshotFileLocation !== undefined ? { checkpointFileLocation: String(p.SnapshotFileLocation) } : {}),
                    ...(p.AutomaticCheckpointsEnabled !== undefined ? { automaticCheckpointsEnabled: Boolean(p.AutomaticCheckpointsEnabled) } : {}),
                },
            );
            const doc = readLab(lab);
            return vmShape(doc, vmById(doc, vm.id));
        }
        case "Checkpoint-VM": {
            const doc = readLab(lab);
            const name = p.SnapshotName === undefined ? defaultCheckpointName(vmById(doc, p.vmId, node).name, new Date()) : String(p.SnapshotName);
            const taken = await takeCheckpointOutOfBand(lab, { id: String(p.vmId), node }, { name });
            const after = readLab(lab);
            const vm = vmById(after, p.vmId);
            const snapshot = snapshotShape(after, vm, after.checkpoints.find((c) => c.id === taken.checkpoint.id)!);
            return { Snapshot: snapshot, VM: vmShape(after, vm), Passthru: "snapshot" };
        }
        case "Restore-VMSnapshot":
            await applyLabCheckpoint(lab, { id: String(p.vmId), node }, { id: String(p.id) });
            return null;
        case "Remove-VMSnapshot":
            await removeLabCheckpoint(lab, { id: String(p.vmId), node }, { id: String(p.id) });
            return null;
        case "Rename-VMSnapshot":
            await renameLabCheckpoint(lab, { id: String(p.vmId), node }, { id: String(p.id) }, String(p.NewName));
            return null;
        case "Start-VM":
            await startLabVm(lab, { id: String(p.vmId), node });
            return vmAfter(lab, p.vmId);
        case "Suspend-VM":
            await suspendLabVm(lab, { id: String(p.vmId), node });
            return vmAfter(lab, p.vmId);
        case "Resume-VM":
            await resumeLabVm(lab, { id: String(p.vmId), node });
            return vmAfter(lab, p.vmId);
        default:
            throw new Error(`the Hyper-V stand-in has no cmdlet ${cmdlet}`);
    }
}

function vmAfter(lab: string, vmId: unknown): Record<string, unknown> {
    const doc = readLab(lab);
    return vmShape(doc, vmById(doc, vmId));
}

/** A refusal the stand-in raises itself (a lookup the lab's operator functions do not offer). */
export function refusal(errorId: string, category: string, message: string, target: string): Error & { record: Record<string, string> } {
    return Object.assign(new Error(message), {
        record: { fullyQualifiedErrorId: errorId, category, exceptionType: "Microsoft.HyperV.PowerShell.VirtualizationException", message, target },
    });
}
