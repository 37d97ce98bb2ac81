import { DEFAULT_CLUSTER_VOLUME } from "./cluster";
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

/**
 * On a cluster lab the same estate is spread over the nodes in turn, as clustered roles with their
 * files on the shared volume; dev01 stays local to its node, and "reports" keeps its checkpoints
 * on a local disk: the mistake the CSV rule (README.md, "Clusters") exists for.
 */
function onCluster(doc: LabDocument, spec: NewVm, index: number): NewVm {
    const nodes = doc.host.cluster?.nodes;
    if (!nodes) return spec;
    const node = nodes[index % nodes.length]?.name;
    const clustered = spec.name !== "dev01";
    const shared = spec.checkpointFileLocation?.replace(/^D:\\/i, `${DEFAULT_CLUSTER_VOLUME}\\`);
    const checkpointFileLocation = spec.name === "reports" ? "D:\\Checkpoints\\reports" : shared;
    return { ...spec, ...(node ? { node } : {}), clustered, ...(checkpointFileLocation ? { checkpointFileLocation } : {}) };
}

export function addSampleVms(doc: LabDocument, tx: Transaction): void {
    for (const [index, { vm: spec, checkpoints = [] }] of sampleVms.entries()) {
        const vm = createVm(doc, tx, onCluster(doc, spec, index));
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
