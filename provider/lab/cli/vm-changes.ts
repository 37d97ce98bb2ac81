import type { LabVm } from "../document";
import { BACKUP_SERVICE_GUID } from "../messages";

/** What `hyperv-lab vm set` changed on a VM, field by field, in the words of its options. */

const onOff = (value: boolean | undefined) => (value === undefined ? "none" : value ? "on" : "off");

function backupEnabled(vm: LabVm): boolean | undefined {
    return vm.integrationServices.find((s) => s.id.toUpperCase().endsWith(BACKUP_SERVICE_GUID))?.enabled;
}

const fields: [label: string, value: (vm: LabVm) => string][] = [
    ["name", (vm) => vm.name],
    ["state", (vm) => vm.state],
    ["version", (vm) => vm.version],
    ["checkpoint type", (vm) => vm.checkpointType],
    ["checkpoint file location", (vm) => vm.checkpointFileLocation],
    ["automatic checkpoints", (vm) => onOff(vm.automaticCheckpointsEnabled)],
    ["backup service", (vm) => onOff(backupEnabled(vm))],
    ["guest backup", (vm) => (vm.guestBackupResponding ? "answers" : "silent")],
    ["memory", (vm) => `${vm.memoryMB} MB`],
    ["disk merge", (vm) => (vm.diskMergeEnabled ? "on" : "off")],
];

/** `VM "sql01" (<id>): checkpoint type ProductionOnly → Standard`, or says that nothing changed. */
export function describeVmChange(before: LabVm, after: LabVm): string {
    const changes = fields.flatMap(([label, value]) => (value(before) === value(after) ? [] : [`${label} ${value(before)} → ${value(after)}`]));
    const what = changes.length > 0 ? changes.join("; ") : `nothing changed (it is ${after.state} and already had these settings)`;
    return `VM "${after.name}" (${after.id}): ${what}`;
}
