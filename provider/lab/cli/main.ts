#!/usr/bin/env node
import { Command, Option } from "commander";
import { HostError, isHostError } from "../../host/errors";
import { sameIgnoringCase } from "../../host/text";
import { labLanguageSchema, labOsSchema } from "../document";
import { initLab } from "../init";
import { inspectLab } from "../inspect";
import { renderLab } from "./render";

/*
 * hyperv-lab: create and drive a simulated Hyper-V host in a folder, as an administrator would on
 * a real host (out of band from Pulumi). Every command takes --lab and --json.
 */

import { addCheckpointCommands } from "./checkpoint-commands";
import { addHostCommands } from "./host-commands";
import { addVmCommands } from "./vm-commands";
import { nodeCount, vmRef } from "./arguments";
import { addNodeCommands } from "./node-commands";
import { globals, report, type GlobalOptions } from "./report";

const program = new Command("hyperv-lab")
    .description("A simulated Hyper-V host in a folder: create it, change it out of band, inspect it.")
    .addOption(new Option("--lab <folder>", "the lab folder").env("HYPERV_LAB").default(".hyperv-lab"))
    .option("--json", "print JSON instead of text")
    // Commander's errors come on two lines ("unknown command 'sett'", then "(Did you mean set?)"): one line, whole.
    .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, " ")}\n`) });

program
    .command("init")
    .description("create an empty lab host, or one with sample VMs")
    .option("--sample", "add realistic sample VMs with checkpoints")
    .addOption(new Option("--os <release>", "Windows Server release to pose as").choices(labOsSchema.options).default("2022"))
    .addOption(new Option("--language <tag>", "host display language").choices(labLanguageSchema.options).default("en-US"))
    .option("--computer-name <name>", "the host's computer name")
    .option("--cluster <nodes>", "a failover cluster of this many nodes (node1..nodeN) with a shared volume", nodeCount)
    .option("--force", "replace an existing lab in the folder")
    .action(
        async (options: { sample?: boolean; os: "2022"; language: "en-US"; computerName?: string; cluster?: number; force?: boolean }, command: Command) => {
            const { lab } = globals(command);
            await initLab(lab, {
                ...(options.cluster !== undefined ? { clusterNodes: options.cluster } : {}),
                sample: options.sample ?? false,
                os: options.os,
                language: options.language,
                force: options.force ?? false,
                ...(options.computerName ? { computerName: options.computerName } : {}),
            });
            const view = inspectLab(lab);
            const shape = view.cluster ? `cluster of ${view.cluster.nodes.length} nodes` : "lab";
            report(command, view, `Created a ${view.capabilities.osCaption} ${shape} with ${view.vms.length} VM(s) in ${view.folder}`);
        },
    );

program
    .command("show")
    .description("the VMs and each VM's checkpoint tree")
    .argument("[vm]", "only this VM (name or id)")
    .action((vm: string | undefined, _options: unknown, command: Command) => {
        const view = inspectLab(globals(command).lab);
        if (vm !== undefined) {
            const ref = vmRef(vm);
            const all = view.vms;
            view.vms = all.filter((e) => ("id" in ref ? e.vm.id === ref.id.toLowerCase() : sameIgnoringCase(e.vm.name, ref.name)));
            if (view.vms.length === 0) {
                const names = all.map((e) => e.vm.name).join(", ");
                throw new Error(
                    `no VM ${"id" in ref ? "with id" : "named"} "${vm}" on the lab in ${view.folder} (${names ? `its VMs: ${names}` : "it has no VMs"})`,
                );
            }
        }
        report(command, view, renderLab(view));
    });

addHostCommands(program);
addVmCommands(program);
addNodeCommands(program);
addCheckpointCommands(program);

/**
 * The host's hint for a VM or checkpoint it cannot find is for a program (`Get-VM`, `pulumi
 * refresh`); at this prompt the way to look is `hyperv-lab show`.
 */
function inTheLabsWords(e: unknown): unknown {
    const lab = program.opts<GlobalOptions>().lab;
    if (isHostError(e, "VmNotFound")) {
        return new HostError(e.code, e.detail, e.context, { hint: `check the VM's name or id: \`npx hyperv-lab --lab ${lab} show\` lists the VMs`, cause: e });
    }
    if (isHostError(e, "CheckpointNotFound")) {
        const vm = e.context.vm ?? e.context.vmId ?? "<vm>";
        const shown = /\s/.test(vm) ? JSON.stringify(vm) : vm;
        return new HostError(e.code, e.detail, e.context, {
            hint: `check the checkpoint's name or id: \`npx hyperv-lab --lab ${lab} show ${shown}\` lists the VM's checkpoints`,
            cause: e,
        });
    }
    return e;
}

program.parseAsync(process.argv).catch((raised: unknown) => {
    const e = inTheLabsWords(raised);
    const message = e instanceof Error ? e.message : String(e);
    if (program.opts<GlobalOptions>().json) {
        process.stderr.write(`${JSON.stringify({ error: { code: isHostError(e) ? e.code : "Error", message } })}\n`);
    } else {
        process.stderr.write(`hyperv-lab: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    }
    process.exitCode = 1;
});
