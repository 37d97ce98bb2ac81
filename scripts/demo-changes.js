// What one demo run changed on the simulated host, in the host's terms. scripts/demo.sh records
// the host before `pulumi up` (`snapshot`) and prints the difference after it (`report`), so a
// setting changed by hand and put back by the run is named, not hidden in "1 updated".
"use strict";
const fs = require("node:fs");
const path = require("node:path");
// The built package's own reader: the lab document is validated (zod) as it is loaded.
const { readLab, BACKUP_SERVICE_GUID } = require(path.join(__dirname, "..", "dist", "provider", "lab"));

/** The settings a policy manages, and the checkpoints, of every VM. */
function snapshot(lab) {
    const doc = readLab(lab);
    const backup = (vm) => vm.integrationServices.find((s) => s.id.toUpperCase().endsWith(BACKUP_SERVICE_GUID));
    const vms = {};
    for (const vm of doc.vms) {
        vms[vm.name] = {
            "checkpoint type": vm.checkpointType,
            "checkpoint file location": vm.checkpointFileLocation,
            "automatic checkpoints": vm.automaticCheckpointsEnabled ? "on" : "off",
            "backup integration service": backup(vm)?.enabled ? "on" : "off",
        };
    }
    const names = Object.fromEntries(doc.vms.map((vm) => [vm.id, vm.name]));
    const checkpoints = Object.fromEntries(doc.checkpoints.map((c) => [c.id, `${names[c.vmId] ?? c.vmId}: checkpoint "${c.name}"`]));
    return { vms, checkpoints };
}

function report(before, after, title) {
    const lines = [];
    for (const [vm, settings] of Object.entries(after.vms)) {
        for (const [setting, value] of Object.entries(settings)) {
            const was = before.vms[vm]?.[setting];
            if (was !== undefined && was !== value) lines.push(`${vm}: ${setting} ${was} -> ${value}`);
        }
    }
    for (const [id, what] of Object.entries(after.checkpoints)) if (!(id in before.checkpoints)) lines.push(`${what} taken (${id})`);
    for (const [id, what] of Object.entries(before.checkpoints)) if (!(id in after.checkpoints)) lines.push(`${what} removed (${id})`);
    if (lines.length === 0) return "Nothing changed on the host: it already matched the stack.";
    return `${title}:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}

const [action, lab, file, title] = process.argv.slice(2);
if (action === "snapshot" && lab && file) {
    fs.writeFileSync(file, JSON.stringify(snapshot(lab)));
} else if (action === "report" && lab && file && title) {
    console.log(report(JSON.parse(fs.readFileSync(file, "utf8")), snapshot(lab), title));
} else {
    console.error("usage: node scripts/demo-changes.js snapshot <lab> <file> | report <lab> <file> <title>");
    process.exit(2);
}
