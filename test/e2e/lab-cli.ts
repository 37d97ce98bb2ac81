import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./harness";

/** Runs the hyperv-lab CLI as an operator would, to change the lab out of band. */
export function labCli(lab: string, ...args: string[]): string {
    return execFileSync(process.execPath, [path.join(repoRoot, "dist/provider/lab/cli/main.js"), "--lab", lab, ...args], { encoding: "utf8" });
}
