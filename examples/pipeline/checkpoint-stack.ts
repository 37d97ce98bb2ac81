import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import * as hyperv from "hyperv-checkpoints";

/** What the pipeline asks of the stack: checkpoints of these VMs for this change, maybe applied. */
export interface Declaration {
    change: string;
    /** The change set, in the order the VMs roll back (the reverse of the order they start). */
    vms: string[];
    /** Set to a new value to roll every VM of the change set back to its checkpoint, in order. */
    restoreTrigger?: string;
}

export interface TakenCheckpoint {
    vmName: string;
    id: string;
    name: string;
    kind: string;
    vmStateAtCreation: string;
}

/** The change set's group as the stack has it after an `up`. */
export interface ChangeSet {
    checkpoints: TakenCheckpoint[];
    lastRestoreTime: string | null;
    /** What the last rollback did, in order, e.g. "rolled back web01, sql01". */
    lastRestoreResult: string | null;
}

/**
 * The inline program: one CheckpointGroup for the change set, a checkpoint per VM named after the
 * change, taken all or nothing and rolled back together. The resource name carries the change
 * id, so a new change gets a fresh group and the previous change's checkpoints are removed.
 */
async function program(): Promise<{ changeSet?: pulumi.Output<ChangeSet> }> {
    const config = new pulumi.Config("pipeline");
    const change = config.require("change");
    const vms = config.requireObject<string[]>("vms");
    const restoreTrigger = config.get("restoreTrigger");
    if (vms.length === 0) return {};
    const group = new hyperv.CheckpointGroup(change, {
        vms: vms.map((vmName) => ({ vmName })),
        name: `before ${change}`,
        ...(restoreTrigger ? { restoreTrigger } : {}),
    });
    return {
        changeSet: pulumi.all([group.members, group.lastRestoreTime, group.lastRestoreResult]).apply(([members, lastRestoreTime, lastRestoreResult]) => ({
            checkpoints: members.map((m) => ({
                vmName: m.vmName,
                id: m.checkpointId,
                name: m.checkpointName,
                kind: m.kind,
                vmStateAtCreation: m.vmStateAtCreation,
            })),
            lastRestoreTime,
            lastRestoreResult,
        })),
    };
}

export interface StackOptions {
    stackName: string;
    /** The stack's hyperv:* configuration (host address, credentials). */
    hostConfig: ConfigMap;
    /** Print the engine's own output. */
    verbose: boolean;
}

/**
 * A file backend in this folder when $PULUMI_BACKEND_URL names none. The engine refuses a state
 * folder that does not exist ("unable to open state directory"), so it is created here.
 */
function defaultBackend(): string {
    const folder = path.join(__dirname, ".pulumi-state");
    fs.mkdirSync(folder, { recursive: true });
    return `file://${folder}`;
}

/** The change set's checkpoints as a stack, converged with `up` on each declaration. */
export class CheckpointStack {
    private constructor(
        private readonly stack: Stack,
        private readonly options: StackOptions,
    ) {}

    static async open(options: StackOptions): Promise<CheckpointStack> {
        // The workspace is this folder: the engine starts the dynamic provider here, and the
        // provider's `require("hyperv-checkpoints/provider")` resolves from this node_modules.
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: options.stackName, projectName: "hyperv-pipeline", program },
            {
                workDir: __dirname,
                envVars: {
                    PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? defaultBackend(),
                    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                },
            },
        );
        await stack.setAllConfig(options.hostConfig);
        return new CheckpointStack(stack, options);
    }

    /** Converges the host to the declaration and returns the change set's group as it now is. */
    async declare(declaration: Declaration): Promise<ChangeSet> {
        await this.stack.setAllConfig({
            "pipeline:change": { value: declaration.change },
            "pipeline:vms": { value: JSON.stringify(declaration.vms) },
        });
        if (declaration.restoreTrigger) {
            await this.stack.setConfig("pipeline:restoreTrigger", { value: declaration.restoreTrigger });
        } else {
            await this.stack.removeConfig("pipeline:restoreTrigger");
        }
        const result = await this.stack.up(this.options.verbose ? { onOutput: (text) => process.stdout.write(text) } : {});
        return (result.outputs.changeSet?.value ?? { checkpoints: [], lastRestoreTime: null, lastRestoreResult: null }) as ChangeSet;
    }
}
