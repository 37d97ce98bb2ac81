// Marks the package's commands (package.json "bin") executable after `tsc`. tsc writes files 0644 and
// `npm run build` empties dist first, so without this `npx hyperv-lab` fails with "Permission
// denied" after any rebuild: npm sets the bit only when it links a bin, once, not on every build.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const root = path.join(__dirname, "..");
const { bin } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
for (const file of Object.values(bin)) fs.chmodSync(path.join(root, file), 0o755);
