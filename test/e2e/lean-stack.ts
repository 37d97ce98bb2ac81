import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { LocalWorkspace, OutputMap, Stack } from "@pulumi/pulumi/automation";

const run = promisify(execFile);

/*
 * After each up, refresh or destroy, the Automation API runs more pulumi commands than the one the
 * test asked for: `stack history` for the result's summary, and after an up `stack output` twice
 * (masked, then with secrets) for its outputs. Each starts the CLI and reads and decrypts the
 * stack's state: measured on this repository's stacks, 0.48 CPU-s for the history and 0.75 for the
 * two output calls, about a fifth of a small stack's whole `up` (2026-12-03). The test stacks never
 * read a summary and read the outputs' values only, so they leave the first out and make the
 * second one call.
 */

/** `stack` without the summary after its operations, and with its outputs read by one command. */
export function leanStack(stack: Stack): Stack {
    // The summary (`UpResult.summary` and the like) is undefined on these stacks: no test reads it.
    stack.info = async () => undefined;
    const workspace = stack.workspace as LocalWorkspace;
    workspace.stackOutputs = async (stackName: string): Promise<OutputMap> => {
        // The environment the Automation API gives its own commands: the process's, then the workspace's.
        const env = { ...process.env, ...(workspace.pulumiHome ? { PULUMI_HOME: workspace.pulumiHome } : {}), ...workspace.envVars };
        const args = ["stack", "output", "--json", "--show-secrets", "--stack", stackName, "--non-interactive"];
        const { stdout } = await run(workspace.pulumiCommand.command, args, { cwd: workspace.workDir, env, maxBuffer: 64 << 20 });
        const values = JSON.parse(stdout) as Record<string, unknown>;
        // Whether a value was secret takes the masked second call; the tests' programs export no secret.
        return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, secret: false }]));
    };
    return stack;
}
