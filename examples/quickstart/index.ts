import * as pulumi from "@pulumi/pulumi";
import * as hyperv from "hyperv-checkpoints";

/*
 * The article's story on one host: each VM gets the kind of checkpoint its job calls for.
 * The host comes from the stack's `hyperv:host` (the demo points it at the simulated host).
 */

// A database server: a standard checkpoint would bring memory back and roll the guest's clock and
// sessions back with it, so only application-consistent (VSS) production checkpoints, with no
// silent fallback to standard, and no automatic checkpoint each time the VM starts.
const sql01 = new hyperv.VmCheckpointPolicy("sql01", {
    vmName: "sql01",
    type: "production",
    fallbackToStandard: false,
    automaticCheckpoints: false,
    ensureBackupIntegration: true,
});

// A development VM: standard checkpoints keep memory and device state, so applying one brings the
// VM back running exactly where the developer left it, for fast try-and-retry loops.
const dev01 = new hyperv.VmCheckpointPolicy("dev01", {
    vmName: "dev01",
    type: "standard",
});

// A VM nobody should take or apply a checkpoint on by accident (saved, backup service off).
const reports = new hyperv.VmCheckpointPolicy("reports", {
    vmName: "reports",
    disabled: true,
});

// A build VM whose checkpoint files go to another volume. Hyper-V lets the location change only
// while the VM has no checkpoints. Its Linux guest runs no hv_vss_daemon, so production
// checkpoints are impossible there: say standard rather than rely on the fallback.
const linuxBuild = new hyperv.VmCheckpointPolicy("linux-build", {
    vmName: "linux-build",
    type: "standard",
    fileLocation: "E:\\Checkpoints\\linux-build",
});

// A web server about to change: production checkpoints, then a checkpoint before the upgrade.
// Applying it later (set a new restoreTrigger) rolls web01 back; removing it merges its disks.
const web01 = new hyperv.VmCheckpointPolicy("web01", {
    vmName: "web01",
    type: "production",
    ensureBackupIntegration: true,
});
const beforeIisUpgrade = new hyperv.Checkpoint(
    "web01-before-iis-upgrade",
    {
        vmName: "web01",
        name: "Before IIS upgrade",
    },
    { dependsOn: [web01] },
);

function summary(policy: hyperv.VmCheckpointPolicy) {
    return pulumi
        .all([policy.checkpointType, policy.checkpointFileLocation, policy.automaticCheckpointsEnabled, policy.productionBlockedBy])
        .apply(([checkpointType, fileLocation, automaticCheckpoints, productionBlockedBy]) => ({
            checkpointType,
            fileLocation,
            automaticCheckpoints,
            productionBlockedBy,
        }));
}

export const policies = {
    sql01: summary(sql01),
    dev01: summary(dev01),
    reports: summary(reports),
    "linux-build": summary(linuxBuild),
    web01: summary(web01),
};
export const preChangeCheckpoint = pulumi
    .all([beforeIisUpgrade.id, beforeIisUpgrade.checkpointName, beforeIisUpgrade.kind, beforeIisUpgrade.holdsMemory])
    .apply(([id, name, kind, holdsMemory]) => ({ id, name, kind, holdsMemory }));
