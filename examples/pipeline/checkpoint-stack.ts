import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import * as hyperv from "hyperv-checkpoints";

/** What the pipeline asks of the stack: checkpoints of these VMs for this change, maybe applied. */
export interface Declaration {
    change: string;
    vms: string[];
    /** Set to a new value to apply (restore) every checkpoint of the change set. */
    restoreTrigger?: string;
}

export interface TakenCheckpoint {
    vmName: string;
    id: string;
    name: string;
    kind: string;
    vmStateAtCreation: string;
    lastRestoreTime: string | null;
}

/**
 * The inline program: one checkpoint per VM, named after the change. The resource names carry the
 * change id, so a new change gets fresh checkpoints and the previous change's are removed.
 */
async function program(): Promise<{ checkpoints: pulumi.Output<TakenCheckpoint[]> }> {
    const config = new pulumi.Config("pipeline");
    const change = config.require("change");
    const vms = config.requireObject<string[]>("vms");
    const restoreTrigger = config.get("restoreTrigger");
    const checkpoints = vms.map((vmName) => new hyperv.Checkpoint(`${change}-${vmName}`, {
        vmName,
        name: `before ${change}`,
        ...(restoreTrigger ? { restoreTrigger } : {}),
    }));
    return {
        checkpoints: pulumi.all(checkpoints.map((c) =>
            pulumi.all([c.vmName, c.id, c.checkpointName, c.kind, c.vmStateAtCreation, c.lastRestoreTime])
                .apply(([vmName, id, name, kind, vmStateAtCreation, lastRestoreTime]) =>
                    ({ vmName, id, name, kind, vmStateAtCreation, lastRestoreTime })))),
    };
}

export interface StackOptions {
    stackName: string;
    /** The stack's hyperv:* configuration (host address, credentials). */
    hostConfig: ConfigMap;
    /** Print the engine's own output. */
    verbose: boolean;
}

/** The change set's checkpoints as a stack, converged with `up` on each declaration. */
export class CheckpointStack {
    private constructor(private readonly stack: Stack, private readonly options: StackOptions) {}

    static async open(options: StackOptions): Promise<CheckpointStack> {
        // The workspace is this folder: the engine starts the dynamic provider here, and the
        // provider's `require("hyperv-checkpoints/provider")` resolves from this node_modules.
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: options.stackName, projectName: "hyperv-pipeline", program },
            {
                workDir: __dirname,
                envVars: {
                    PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? `file://${__dirname}/.pulumi-state`,
                    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                },
            },
        );
        await stack.setAllConfig(options.hostConfig);
        return new CheckpointStack(stack, options);
    }

    /** Converges the host to the declaration and returns the checkpoints that now exist. */
    async declare(declaration: Declaration): Promise<TakenCheckpoint[]> {
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
        return (result.outputs.checkpoints?.value ?? []) as TakenCheckpoint[];
    }
}
