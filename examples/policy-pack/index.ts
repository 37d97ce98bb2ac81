import { PolicyPack } from "@pulumi/policy";
import { checkpointGovernance } from "hyperv-checkpoints/governance";

// Every rule of hyperv-checkpoints/governance, with defaults that suit most estates. A stack can
// change any setting or enforcement level without editing this file:
//     pulumi preview --policy-pack <this folder> --policy-pack-config config.json
// with config.json, e.g. { "hyperv-max-checkpoints-per-vm": { "enforcementLevel": "advisory", "maxPerVm": 20 } }.
new PolicyPack("hyperv-checkpoints", {
    policies: checkpointGovernance({
        "hyperv-server-roles-no-standard-checkpoints": {
            config: { serverVmPatterns: ["^(sql|dc|web|app|db|exch)"], flagProductionWithFallback: false },
        },
        "hyperv-environment-checkpoint-types": {
            config: { environments: { prod: ["ProductionOnly", "Disabled"] }, environmentTag: "environment" },
        },
        "hyperv-checkpoint-file-location": {
            config: { allowedRoots: ["C:\\ProgramData\\Microsoft\\Windows\\Hyper-V", "D:\\Checkpoints"] },
        },
        "hyperv-max-checkpoints-per-vm": { config: { maxPerVm: 10 } },
        "hyperv-max-checkpoint-age": { enforcementLevel: "advisory", config: { maxAgeDays: 14 } },
    }),
});
