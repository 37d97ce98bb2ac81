import { isTransitional } from "../host/rules";
import { checkpointVm, removeOne } from "./checkpoints";
import type { LabDocument, LabVm } from "./document";
import { fail, type FailureScope } from "./refusals";
import { recordEvent } from "./event-log";
import { osProfiles } from "./os";
import { checkpointsOf } from "./doc-index";
import type { Transaction } from "./store";

/*
 * Start-VM, Stop-VM and Save-VM, with automatic checkpoints: on hosts that have them, starting a
 * VM that has no checkpoints takes one first, and a clean shutdown removes it again.
 */

export function startVm(doc: LabDocument, tx: Transaction, vm: LabVm, scope: FailureScope): void {
    if (isTransitional(vm.state)) throw fail.invalidState(scope, vm.state);
    if (vm.state === "Running") return;
    tx.spend({ operation: "start" });
    const automatic = osProfiles[doc.host.os].supportsAutomaticCheckpoints && vm.automaticCheckpointsEnabled;
    if (vm.state === "Off" && automatic && vm.checkpointType !== "Disabled" && checkpointsOf(doc, vm.id).length === 0) {
        checkpointVm(doc, tx, vm, { name: automaticCheckpointName(vm.name, new Date()), isAutomatic: true }, scope);
    }
    vm.state = "Running";
    recordEvent(doc, "startVm", vm);
}

/** Hyper-V's own naming: "Automatic Checkpoint - web01 - (06/01/2024 - 14:03:07)". */
function automaticCheckpointName(vmName: string, at: Date): string {
    const two = (n: number) => String(n).padStart(2, "0");
    const date = `${two(at.getMonth() + 1)}/${two(at.getDate())}/${at.getFullYear()}`;
    const time = `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
    return `Automatic Checkpoint - ${vmName} - (${date} - ${time})`.slice(0, 100);
}

/** `turnOff`: pulling the plug, which keeps automatic checkpoints; a clean shutdown removes them. */
export function stopVm(doc: LabDocument, tx: Transaction, vm: LabVm, options: { turnOff?: boolean }, scope: FailureScope): void {
    if (isTransitional(vm.state)) throw fail.invalidState(scope, vm.state);
    const cleanShutdown = vm.state === "Running" && !options.turnOff;
    if (cleanShutdown) tx.spend({ operation: "stop" });
    vm.state = "Off";
    if (!cleanShutdown) return;
    for (const cp of checkpointsOf(doc, vm.id).filter((c) => c.isAutomatic)) removeOne(doc, tx, vm, cp, scope);
}

export function saveVm(tx: Transaction, vm: LabVm, scope: FailureScope): void {
    if (vm.state !== "Running" && vm.state !== "Paused") throw fail.invalidState(scope, vm.state);
    tx.spend({ operation: "save", memoryMB: vm.memoryMB });
    vm.state = "Saved";
}

/** Suspend-VM: a Running VM is Paused (its memory stays, it runs no instructions). */
export function suspendVm(doc: LabDocument, vm: LabVm, scope: FailureScope): void {
    if (vm.state !== "Running") throw fail.invalidState(scope, vm.state);
    vm.state = "Paused";
    recordEvent(doc, "suspendVm", vm);
}

/** Resume-VM: a Paused VM runs again. */
export function resumeVm(doc: LabDocument, vm: LabVm, scope: FailureScope): void {
    if (vm.state !== "Paused") throw fail.invalidState(scope, vm.state);
    vm.state = "Running";
    recordEvent(doc, "resumeVm", vm);
}
