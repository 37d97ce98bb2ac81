import * as fs from "node:fs";
import * as path from "node:path";
import { initLab, inspectLab, readLab, type InitLabOptions } from "../../provider/lab";
import { repoRoot } from "./harness";

/** A fresh sample lab for one test file, in a throw-away folder. */
export async function freshLab(options: InitLabOptions = { sample: true }): Promise<string> {
    const base = path.join(repoRoot, ".e2e");
    fs.mkdirSync(base, { recursive: true });
    const folder = fs.mkdtempSync(path.join(base, "lab-"));
    await initLab(folder, options);
    return folder;
}

export function vmByName(lab: string, name: string) {
    const vm = readLab(lab).vms.find((v) => v.name === name);
    if (!vm) throw new Error(`no VM ${name} in ${lab}`);
    return vm;
}

export { inspectLab, readLab };
