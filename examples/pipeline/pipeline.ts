import { parseArgs } from "node:util";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { configureSettings, disconnectAll, hostFor, parseHostAddress, readHostSettings } from "hyperv-checkpoints/provider";
import { runChange, verify } from "./change";
import { CheckpointStack, type TakenCheckpoint } from "./checkpoint-stack";

/*
 * A pipeline step around a risky change: checkpoint every VM of the change set as one group (all
 * or nothing), run the change, verify, then remove the checkpoints (success) or roll every VM back
 * with one trigger, in the order given by --vms (failure). Exit codes:
 *   0  the change succeeded and was verified; its checkpoints are removed
 *   1  the change or the verification failed; the VMs were rolled back to their checkpoints
 *   2  usage or set-up error (no VM, no host, the stack's state cannot be opened); no VM was touched
 *   3  the pipeline could not protect or roll back the VMs: a human must look (details printed)
 */

const EXIT = { ok: 0, rolledBack: 1, usage: 2, needsHuman: 3 } as const;

const usage = `usage: ts-node pipeline.ts --vms <vm,vm,...> [options]
  --vms <names>       the change set: VM names, comma-separated, in the order they roll back (required)
  --change <id>       names the checkpoints "before <id>" (default: change-<UTC timestamp>)
  --command <cmd>     shell command that makes the change (gets HYPERV_CHANGE_VMS); default: a simulated change
  --fail              make the simulated change fail, to rehearse the rollback
  --host <address>    lab:<folder> | local | ssh://user@host | winrm://host (default: $HYPERV_HOST)
  --stack <name>      the stack holding the checkpoints (default: pipeline)
  --verbose           show the Pulumi engine's output
Credentials come from the environment: HYPERV_KEY_FILE (SSH), HYPERV_USER and HYPERV_PASSWORD (WinRM).
State: $PULUMI_BACKEND_URL (default: a file backend in this folder), secrets: $PULUMI_CONFIG_PASSPHRASE.`;

function log(line: string): void {
    process.stdout.write(`${line}\n`);
}

function step(n: number, title: string): void {
    log(`\n[${n}/4] ${title}`);
}

function parseCommandLine() {
    const { values } = parseArgs({
        options: {
            vms: { type: "string" },
            change: { type: "string", default: `change-${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}` },
            command: { type: "string" },
            fail: { type: "boolean", default: false },
            host: { type: "string", default: process.env.HYPERV_HOST },
            stack: { type: "string", default: "pipeline" },
            verbose: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        log(usage);
        process.exit(EXIT.ok);
    }
    const vms = (values.vms ?? "")
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);
    if (vms.length === 0) throw new UsageError("--vms names no VM");
    if (!values.host) throw new UsageError("no host: give --host or set HYPERV_HOST");
    const address = parseHostAddress(values.host);
    if (typeof address === "string") throw new UsageError(address);
    // The engine runs the provider in this folder: make a lab folder absolute from where we were started.
    const host = address.kind === "lab" ? `lab:${address.folder}` : values.host;
    return { ...values, vms, host };
}

class UsageError extends Error {}

function hostConfig(host: string): ConfigMap {
    const env = process.env;
    return {
        "hyperv:host": { value: host },
        ...(env.HYPERV_KEY_FILE ? { "hyperv:keyFile": { value: env.HYPERV_KEY_FILE } } : {}),
        ...(env.HYPERV_USER ? { "hyperv:user": { value: env.HYPERV_USER } } : {}),
        ...(env.HYPERV_PASSWORD ? { "hyperv:password": { value: env.HYPERV_PASSWORD, secret: true } } : {}),
    };
}

function describe(cp: TakenCheckpoint): string {
    return `${cp.vmName}: ${cp.kind} checkpoint "${cp.name}" (${cp.id}), VM ${cp.vmStateAtCreation}`;
}

function engineError(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    // The engine's error lines, and a group's report of every VM under them.
    const diagnostics = text
        .split("\n")
        .filter((l) => /error:|Error:|^\s*- VM "/.test(l))
        .slice(0, 20);
    return diagnostics.length ? diagnostics.join("\n") : text;
}

/** The engine's own one-line reason (its `error:` line), without the Automation API's stack trace. */
function setupProblem(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const line = text.split("\n").find((l) => /^\s*error: /.test(l)) ?? text.split("\n").find((l) => l.trim() !== "") ?? text;
    return line.replace(/^\s*error: /, "").trim();
}

async function main(): Promise<number> {
    let args: ReturnType<typeof parseCommandLine>;
    try {
        args = parseCommandLine();
    } catch (err) {
        process.stderr.write(`pipeline: ${(err as Error).message}\n${usage}\n`);
        return EXIT.usage;
    }
    const config = hostConfig(args.host);
    let stack: CheckpointStack;
    try {
        stack = await CheckpointStack.open({ stackName: args.stack, hostConfig: config, verbose: args.verbose });
    } catch (err) {
        // Nothing has been asked of any VM yet: a set-up problem (state, passphrase, the pulumi CLI).
        process.stderr.write(`pipeline: could not open stack "${args.stack}": ${setupProblem(err)}\n`);
        return EXIT.usage;
    }
    log(`Change ${args.change} on ${args.vms.join(", ")} (host ${args.host}, stack ${args.stack})`);

    step(1, "checkpoint every VM of the change set, all or nothing");
    let checkpoints: TakenCheckpoint[];
    try {
        ({ checkpoints } = await stack.declare({ change: args.change, vms: args.vms }));
    } catch (err) {
        // All or nothing: a VM that could not be checkpointed leaves no checkpoint on any VM.
        log(`could not checkpoint the change set (no checkpoint was left on any VM); the change was NOT run:\n${engineError(err)}`);
        return EXIT.needsHuman;
    }
    for (const cp of checkpoints) log(`  ${describe(cp)}`);

    step(2, args.command ? `run the change: ${args.command}` : "run the change (simulated)");
    const failure = await runChange(args.vms, { ...(args.command ? { command: args.command } : {}), fail: args.fail, log: (l) => log(`  ${l}`) });

    step(3, "verify");
    configureSettings(readHostSettings({ get: (key) => config[key]?.value }));
    const problems = failure ? [failure] : await verify(hostFor(undefined), checkpoints);
    await disconnectAll();
    for (const p of problems) log(`  FAILED: ${p}`);
    if (problems.length === 0) log("  every VM is as it was before the change");

    if (problems.length === 0) {
        step(4, "remove the checkpoints (Hyper-V merges their disks)");
        try {
            await stack.declare({ change: args.change, vms: [] });
        } catch (err) {
            log(`the change succeeded, but removing its checkpoints failed; remove them by hand:\n${engineError(err)}`);
            return EXIT.needsHuman;
        }
        log(`  removed ${checkpoints.length} checkpoint(s)\n\nSUCCESS: change ${args.change} applied and verified`);
        return EXIT.ok;
    }

    step(4, `roll back every VM of the change set, in order: ${args.vms.join(", ")}`);
    let restored: Awaited<ReturnType<CheckpointStack["declare"]>>;
    try {
        restored = await stack.declare({ change: args.change, vms: args.vms, restoreTrigger: `rollback-${args.change}-${Date.now()}` });
    } catch (err) {
        // The group's error lists which VMs are on their checkpoint and which are not.
        log(
            `ROLLBACK FAILED: the VMs listed as not rolled back are still changed; apply their checkpoints "before ${args.change}" by hand:\n${engineError(err)}`,
        );
        return EXIT.needsHuman;
    }
    for (const cp of restored.checkpoints) log(`  ${cp.vmName}: back to "${cp.name}" (${cp.id}) at ${restored.lastRestoreTime}`);
    log(`  ${restored.lastRestoreResult}`);
    log(`\nROLLED BACK: change ${args.change} failed (${problems.join("; ")}); the checkpoints stay until the next change`);
    return EXIT.rolledBack;
}

main().then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`pipeline: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(EXIT.needsHuman);
    },
);
