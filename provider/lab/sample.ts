import { applyCheckpoint, checkpointVm } from "./checkpoints";
import type { LabDocument } from "./document";
import { scopeOf } from "./lookup";
import type { Transaction } from "./store";
import { createVm, type NewVm } from "./vms";

/**
 * A realistic small estate, for demos and manual testing: one VM per situation the provider must
 * handle. Versions above what the posed-as release supports are capped to its newest.
 */
const sampleVms: { vm: NewVm; checkpoints?: string[] }[] = [
    {
        vm: { name: "web01", state: "Running", version: "9.0", checkpointType: "Production", checkpointFileLocation: "D:\\Checkpoints\\web01" },
        checkpoints: ["Before IIS update"],
    },
    { vm: { name: "sql01", state: "Running", version: "9.0", checkpointType: "ProductionOnly", checkpointFileLocation: "D:\\Checkpoints\\sql01" } },
    { vm: { name: "legacy-erp", state: "Running", version: "5.0", checkpointType: "Production" } },
    // A Linux guest without hv_vss_daemon: the host service is on, but nothing answers in the guest.
    { vm: { name: "linux-build", state: "Running", version: "9.0", checkpointType: "Production", guestBackupResponding: false } },
    // Domain controllers support only production checkpoints.
    { vm: { name: "dc01", state: "Running", version: "9.0", checkpointType: "ProductionOnly" } },
    { vm: { name: "reports", state: "Saved", version: "8.0", checkpointType: "Production", backupService: "disabled" } },
    {
        vm: { name: "dev01", state: "Off", version: "9.0", checkpointType: "Standard", automaticCheckpointsEnabled: true },
        checkpoints: ["Clean install", "Tools installed"],
    },
];

export function addSampleVms(doc: LabDocument, tx: Transaction): void {
    for (const { vm: spec, checkpoints = [] } of sampleVms) {
        const vm = createVm(doc, tx, spec);
        const scope = scopeOf(doc, { host: tx.labFolder, vm: vm.name, operation: "create sample" });
        for (const name of checkpoints) checkpointVm(doc, tx, vm, { name }, scope);
        if (vm.name === "dev01") {
            // A branch: back to the clean install, then another line of work from there.
            const clean = doc.checkpoints.find((c) => c.vmId === vm.id && c.name === "Clean install");
            if (clean) applyCheckpoint(doc, tx, vm, clean, {}, scope);
            checkpointVm(doc, tx, vm, { name: "Experiment" }, scope);
        }
    }
}
