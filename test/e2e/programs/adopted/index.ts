import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as hyperv from "hyperv-checkpoints";

// What hyperv-import wrote beside this file, as a user keeps it in the program.
if (fs.existsSync(path.join(__dirname, "hyperv-adopted.ts"))) require("./hyperv-adopted");

// Checkpoints the test adds through e2e:checkpoints (resource name → arguments).
const extra = new pulumi.Config("e2e").getObject<Record<string, hyperv.CheckpointArgs>>("checkpoints") ?? {};
for (const [name, args] of Object.entries(extra)) new hyperv.Checkpoint(name, args);
