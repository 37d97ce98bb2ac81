import { spawn } from "node:child_process";
import type { HyperVHost } from "hyperv-checkpoints/provider";
import type { TakenCheckpoint } from "./checkpoint-stack";

export interface ChangeOptions {
    /** A shell command that makes the change; it gets the VM names in HYPERV_CHANGE_VMS. Unset: a simulated change. */
    command?: string;
    /** Make the simulated change fail, to rehearse the rollback. */
    fail: boolean;
    log: (line: string) => void;
}

/** Runs the change; resolves to why it failed, or null. */
export async function runChange(vms: string[], options: ChangeOptions): Promise<string | null> {
    if (options.command) {
        const code = await new Promise<number>((resolve, reject) => {
            const child = spawn(options.command!, {
                shell: true,
                stdio: "inherit",
                env: { ...process.env, HYPERV_CHANGE_VMS: vms.join(",") },
            });
            child.on("error", reject);
            child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
        });
        return code === 0 ? null : `the change command exited with ${code}`;
    }
    for (const vm of vms) {
        options.log(`applying the simulated change to ${vm}`);
        if (options.fail) return `the simulated change failed on ${vm} (--fail)`;
    }
    return null;
}

/** Checks that every VM came back in the state its checkpoint saw; resolves to the problems found. */
export async function verify(host: HyperVHost, checkpoints: TakenCheckpoint[]): Promise<string[]> {
    const problems: string[] = [];
    for (const cp of checkpoints) {
        const vm = await host.getVm({ name: cp.vmName });
        if (vm.state !== cp.vmStateAtCreation) problems.push(`${cp.vmName} is ${vm.state}, it was ${cp.vmStateAtCreation} before the change`);
    }
    return problems;
}
