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
    if (view.vms.length === 0) return [...lines, "", "No virtual machines."].join("\n");
    lines.push(renderVmTable(view), "");
    for (const entry of view.vms) {
        if (entry.checkpoints.length === 0) continue;
        lines.push(`${entry.vm.name} (${entry.vm.id})`, ...renderCheckpointTree(entry.vm, entry.checkpoints), "");
    }
    return lines.join("\n").trimEnd();
}

function renderVmTable(view: LabView): string {
    const table = new Table({
        // The backup service's name is the host's own (translated on a localised host): said once, in the header.
        head: ["Name", "Id", "State", "Version", "Checkpoint type", "Automatic", view.backupServiceName, "Checkpoints", "Checkpoint file location"],
        style: { head: [], border: [] },
        // No rule between rows: a host's VM list stays readable in a terminal.
        chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    });
    for (const { vm, checkpoints } of view.vms) {
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
        ]);
    }
    return table.toString();
}

/**
 * The checkpoint tree, oldest first among siblings, with the VM's current state marked. A chain
 * without branches stays in one column (indenting every link pushed a VM's 50 checkpoints 150
 * columns to the right); only a branch indents.
 */
export function renderCheckpointTree(vm: Vm, checkpoints: Checkpoint[]): string[] {
    const here = "▶ Now (you are here)";
    const lines: string[] = [];
    const walk = (parentId: string | null, indent: string): void => {
        const children = checkpoints.filter((c) => c.parentId === parentId);
        const items: (Checkpoint | "here")[] = [...children];
        if (vm.parentCheckpointId === parentId) items.push("here");
        const chain = items.length === 1;
        items.forEach((item, i) => {
            const last = i === items.length - 1;
            const branch = `${indent}${last ? "└─ " : "├─ "}`;
            if (item === "here") {
                lines.push(`${branch}${here} [${vm.state}]`);
                return;
            }
            lines.push(`${branch}${describeCheckpoint(item)}`);
            walk(item.id, chain ? indent : `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk(null, "  ");
    return lines;
}

function describeCheckpoint(cp: Checkpoint): string {
    const traits = [cp.snapshotType, holdsMemory(cp.vmState) ? `with ${cp.vmState === "Saved" ? "saved" : "memory"} state` : "disk only"];
    if (cp.isAutomatic) traits.push("automatic");
    return `${cp.name} [${traits.join(", ")}] ${cp.creationTime} ${cp.id}`;
}
