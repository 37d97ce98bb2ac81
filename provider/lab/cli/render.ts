import Table from "cli-table3";
import type { Checkpoint, Vm } from "../../host/model";
import { holdsMemory } from "../../host/rules";
import type { LabView } from "../inspect";

/** Text views of the lab for `hyperv-lab show`; pure, so the CLI tests can read them. */

export function renderLab(view: LabView): string {
    const { capabilities: c, settings: s } = view;
    const lines = [
        `${c.computerName}: ${c.osCaption} (build ${c.osBuild}), ${s.language}, lab ${view.folder}`,
        `unconfirmed behaviours: restored standard state ${s.behaviour.restoredStandardState}, remove with children ${s.behaviour.removeWithChildren}, concurrent VM mutations ${s.behaviour.concurrentVmMutations}${s.fault ? `; fault ${s.fault}` : ""}`,
        `latency: ${s.latency.profile}${s.latency.profile === "none" ? "" : `, time scale ${s.latency.timeScale}`}`,
    ];
    if (view.cluster) lines.push(...renderNodes(view));
    else if (view.vms.length === 0) return [...lines, "", "No virtual machines."].join("\n");
    else lines.push(renderVmTable(view, view.vms), "");
    if (view.vms.some((e) => e.checkpoints.length > 0)) lines.push(TREE_LEGEND, "");
    for (const entry of view.vms) {
        if (entry.checkpoints.length === 0) continue;
        lines.push(`${entry.vm.name} (${entry.vm.id})`, ...renderCheckpointTree(entry.vm, entry.checkpoints), "");
    }
    return lines.join("\n").trimEnd();
}

/** A cluster lab: one table per node, of the VMs it owns (a VM mid-migration is its source's). */
function renderNodes(view: LabView): string[] {
    const cluster = view.cluster!;
    const lines = [`cluster ${cluster.name}: ${cluster.nodes.length} node(s), shared volume C:\\ClusterStorage\\Volume1`, ""];
    for (const node of cluster.nodes) {
        const vms = view.vms.filter((e) => e.placement?.ownerNode === node.name);
        lines.push(`${node.name} [${node.state}]: ${vms.length} VM(s)`);
        if (vms.length > 0) lines.push(renderVmTable(view, vms));
        lines.push("");
    }
    return lines;
}

/** How a VM of a cluster lab runs: a clustered role, local to its node, or on its way elsewhere. */
function roleOf(entry: LabView["vms"][number]): string {
    const p = entry.placement;
    if (!p) return "";
    if (p.migration) return `migrating (${p.migration.kind}) to ${p.migration.to}`;
    return p.clustered ? "clustered" : "local";
}

function renderVmTable(view: LabView, entries: LabView["vms"]): string {
    const table = new Table({
        // The backup service's name is the host's own (translated on a localised host): said once, in the header.
        head: [
            "Name",
            "Id",
            "State",
            "Version",
            "Checkpoint type",
            "Automatic",
            view.backupServiceName,
            "Checkpoints",
            "Checkpoint file location",
            ...(view.cluster ? ["Role"] : []),
        ],
        style: { head: [], border: [] },
        // No rule between rows: a host's VM list stays readable in a terminal.
        chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    });
    for (const entry of entries) {
        const { vm, checkpoints } = entry;
        const backup = vm.backupService;
        table.push([
            vm.name,
            vm.id,
            vm.state,
            vm.version,
            vm.checkpointType ?? "-",
            vm.automaticCheckpointsEnabled === null ? "-" : vm.automaticCheckpointsEnabled ? "on" : "off",
            backup ? `${backup.enabled ? "on" : "off"}, guest ${backup.guestResponding ? "answers" : "silent"}` : "none",
            String(checkpoints.length),
            vm.checkpointFileLocation,
            ...(view.cluster ? [roleOf(entry)] : []),
        ]);
    }
    return table.toString();
}

/**
 * The checkpoint tree, oldest first, with the VM's current state marked. A child always sits
 * below its parent's ● in the parent's column: a chain without branches stays in that one column
 * (indenting every link pushed a VM's 50 checkpoints 150 columns to the right), and the children
 * of a checkpoint with several hang from it with ├─ and └─, one step further right.
 */
export function renderCheckpointTree(vm: Vm, checkpoints: Checkpoint[]): string[] {
    const lines: string[] = [];
    const walk = (parentId: string | null, indent: string): void => {
        const items: (Checkpoint | "here")[] = checkpoints.filter((c) => c.parentId === parentId);
        if (vm.parentCheckpointId === parentId) items.push("here");
        const branches = items.length > 1;
        items.forEach((item, i) => {
            const last = i === items.length - 1;
            const at = branches ? `${indent}${last ? "└─" : "├─"}` : indent;
            if (item === "here") {
                lines.push(`${at}▶ Now (you are here) [${vm.state}]`);
                return;
            }
            lines.push(`${at}● ${describeCheckpoint(item)}`);
            walk(item.id, branches ? `${indent}${last ? "  " : "│ "}` : indent);
        });
    };
    walk(null, "  ");
    return lines;
}

/** How to read the trees, said once above them. */
export const TREE_LEGEND =
    "Checkpoint trees, oldest first: below each ● in its column comes its child (├─ └─ when it has several). " +
    "SnapshotType is Hyper-V's own: Standard for every checkpoint a user takes, production or standard (Hyper-V does not record which).";

function describeCheckpoint(cp: Checkpoint): string {
    const traits = [`SnapshotType ${cp.snapshotType}`, holdsMemory(cp.vmState) ? `with ${cp.vmState === "Saved" ? "saved" : "memory"} state` : "disk only"];
    if (cp.isAutomatic) traits.push("automatic");
    return `${cp.name} [${traits.join(", ")}] ${cp.creationTime} ${cp.id}`;
}
