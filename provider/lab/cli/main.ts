#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { isHostError } from "../../host/errors";
import { isGuid } from "../../host/ids";
import { sameIgnoringCase } from "../../host/text";
import { checkpointTypeSchema, snapshotTypeSchema, vmStateSchema, type VmRef } from "../../host/model";
import { labLanguageSchema, labOsSchema } from "../document";
import { initLab, setHostSettings } from "../init";
import { inspectLab } from "../inspect";
import {
    addVm,
    applyLabCheckpoint,
    removeLabCheckpoint,
    renameLabCheckpoint,
    resumeLabVm,
    saveLabVm,
    setVm,
    startLabVm,
    stopLabVm,
    suspendLabVm,
    takeCheckpointOutOfBand,
    writeToVm,
    type CheckpointRef,
    type VmChange,
} from "../operator";
import { latencyProfileSchema, type LatencyProfile } from "../latency";
import { renderLab } from "./render";

/*
 * hyperv-lab: create and drive a simulated Hyper-V host in a folder, as an administrator would on
 * a real host (out of band from Pulumi). Every command takes --lab and --json.
 */

function vmRef(text: string): VmRef {
    return isGuid(text) ? { id: text } : { name: text };
}

function checkpointRef(text: string): CheckpointRef {
    return isGuid(text) ? { id: text } : { name: text };
}

function onOff(value: string): boolean {
    if (["on", "true", "yes", "enabled"].includes(value)) return true;
    if (["off", "false", "no", "disabled"].includes(value)) return false;
    throw new InvalidArgumentError("expected on or off");
}

function positiveNumber(value: string): number {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
    return n;
}

function megabytes(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a whole number of megabytes");
    return n;
}

const UNITS: Record<string, number> = { "": 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A size such as 512MB or 20GB (binary units, as Hyper-V Manager shows sizes). */
function size(value: string): number {
    const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?B)?$/i.exec(value.trim());
    const unit = UNITS[(match?.[2] ?? "").toUpperCase()];
    if (!match || unit === undefined) throw new InvalidArgumentError("expected a size such as 512MB or 20GB");
    return Math.round(Number(match[1]) * unit);
}

function version(value: string): string {
    if (!/^\d+\.\d+$/.test(value)) throw new InvalidArgumentError("expected a configuration version such as 9.0");
    return value;
}

interface GlobalOptions {
    lab: string;
    json?: boolean;
}

function globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
}

/** Prints the result: JSON with --json, otherwise a one-line summary. */
function report(command: Command, value: unknown, summary: string): void {
    process.stdout.write(globals(command).json ? `${JSON.stringify(value, null, 2)}\n` : `${summary}\n`);
}

const program = new Command("hyperv-lab")
    .description("A simulated Hyper-V host in a folder: create it, change it out of band, inspect it.")
    .addOption(new Option("--lab <folder>", "the lab folder").env("HYPERV_LAB").default(".hyperv-lab"))
    .option("--json", "print JSON instead of text")
    .configureOutput({ outputError: (text, write) => write(`${text.split("\n")[0]}\n`) });

program
    .command("init")
    .description("create an empty lab host, or one with sample VMs")
    .option("--sample", "add realistic sample VMs with checkpoints")
    .addOption(new Option("--os <release>", "Windows Server release to pose as").choices(labOsSchema.options).default("2022"))
    .addOption(new Option("--language <tag>", "host display language").choices(labLanguageSchema.options).default("en-US"))
    .option("--computer-name <name>", "the host's computer name")
    .option("--force", "replace an existing lab in the folder")
    .action(async (options: { sample?: boolean; os: "2022"; language: "en-US"; computerName?: string; force?: boolean }, command: Command) => {
        const { lab } = globals(command);
        await initLab(lab, {
            sample: options.sample ?? false,
            os: options.os,
            language: options.language,
            force: options.force ?? false,
            ...(options.computerName ? { computerName: options.computerName } : {}),
        });
        const view = inspectLab(lab);
        report(command, view, `Created a ${view.capabilities.osCaption} lab with ${view.vms.length} VM(s) in ${view.folder}`);
    });

program
    .command("show")
    .description("the VMs and each VM's checkpoint tree")
    .argument("[vm]", "only this VM (name or id)")
    .action((vm: string | undefined, _options: unknown, command: Command) => {
        const view = inspectLab(globals(command).lab);
        if (vm !== undefined) {
            const ref = vmRef(vm);
            view.vms = view.vms.filter((e) => ("id" in ref ? e.vm.id === ref.id.toLowerCase() : sameIgnoringCase(e.vm.name, ref.name)));
        }
        report(command, view, renderLab(view));
    });

const host = program.command("host").description("the simulated host's own settings");
host.command("set")
    .description("change the language, the unconfirmed behaviours, or the injected fault")
    .addOption(new Option("--language <tag>").choices(labLanguageSchema.options))
    .addOption(new Option("--restored-standard-state <state>", "state after applying a standard checkpoint with memory").choices(["Saved", "Running"]))
    .addOption(new Option("--remove-with-children <mode>", "what removing a checkpoint does to its children").choices(["reparent", "removeSubtree"]))
    .addOption(new Option("--concurrent-vm-mutations <mode>", "a second mutation on a busy VM").choices(["refuse", "serialize"]))
    .addOption(new Option("--latency <profile>", "how long operations take (see the lab README)").choices(latencyProfileSchema.options))
    .option("--time-scale <factor>", "run the latency model faster (0.01) or slower", positiveNumber)
    .option("--fault <spec>", "inject a fault, e.g. exit:removeCheckpoint:beforeWrite (see fault-injection.ts)")
    .option("--no-fault", "clear the injected fault")
    .action(
        async (
            options: {
                language?: "en-US";
                restoredStandardState?: "Saved";
                removeWithChildren?: "reparent";
                concurrentVmMutations?: "refuse";
                fault?: string | false;
                latency?: LatencyProfile;
                timeScale?: number;
            },
            command: Command,
        ) => {
            const behaviour = {
                ...(options.restoredStandardState ? { restoredStandardState: options.restoredStandardState } : {}),
                ...(options.removeWithChildren ? { removeWithChildren: options.removeWithChildren } : {}),
                ...(options.concurrentVmMutations ? { concurrentVmMutations: options.concurrentVmMutations } : {}),
            };
            const settings = await setHostSettings(globals(command).lab, {
                ...(options.language ? { language: options.language } : {}),
                behaviour,
                latency: {
                    ...(options.latency ? { profile: options.latency } : {}),
                    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
                },
                ...(options.fault !== undefined ? { fault: options.fault === false ? null : options.fault } : {}),
            });
            report(command, settings, `Host settings: ${JSON.stringify(settings)}`);
        },
    );

const vm = program.command("vm").description("add, change and power virtual machines");

function vmSettingOptions(command: Command): Command {
    return command
        .addOption(new Option("--state <state>", "VM state, transitional ones included").choices(vmStateSchema.options))
        .option("--version <version>", "configuration version, e.g. 9.0", version)
        .addOption(new Option("--checkpoint-type <type>").choices(checkpointTypeSchema.options))
        .option("--file-location <path>", "checkpoint file location, a Windows path such as D:\\Checkpoints\\web01")
        .option("--automatic-checkpoints <on|off>", "automatic checkpoints on start", onOff)
        .option("--guest-backup <on|off>", "whether the guest's backup service answers", onOff)
        .option("--memory <MB>", "assigned memory in MB: what a standard checkpoint of the running VM saves", megabytes);
}

interface VmOptions {
    state?: (typeof vmStateSchema.options)[number];
    version?: string;
    checkpointType?: (typeof checkpointTypeSchema.options)[number];
    fileLocation?: string;
    automaticCheckpoints?: boolean;
    guestBackup?: boolean;
    memory?: number;
}

vmSettingOptions(vm.command("add").description("create a VM (names may repeat)").argument("<name>"))
    .addOption(new Option("--backup <service>", "the backup integration service").choices(["enabled", "disabled", "none"]))
    .action(async (name: string, options: VmOptions & { backup?: "enabled" | "disabled" | "none" }, command: Command) => {
        const created = await addVm(globals(command).lab, {
            name,
            ...(options.state ? { state: options.state } : {}),
            ...(options.version ? { version: options.version } : {}),
            ...(options.checkpointType ? { checkpointType: options.checkpointType } : {}),
            ...(options.fileLocation ? { checkpointFileLocation: options.fileLocation } : {}),
            ...(options.automaticCheckpoints !== undefined ? { automaticCheckpointsEnabled: options.automaticCheckpoints } : {}),
            ...(options.backup ? { backupService: options.backup } : {}),
            ...(options.guestBackup !== undefined ? { guestBackupResponding: options.guestBackup } : {}),
            ...(options.memory !== undefined ? { memoryMB: options.memory } : {}),
        });
        report(command, created, `Added VM "${created.name}" (${created.id}), ${created.state}, version ${created.version}`);
    });

vmSettingOptions(vm.command("set").description("change a VM's settings or state").argument("<vm>", "name or id"))
    .option("--name <name>", "rename the VM")
    .option("--backup <on|off>", "enable or disable the backup integration service", onOff)
    .action(async (target: string, options: VmOptions & { name?: string; backup?: boolean }, command: Command) => {
        const change: VmChange = {
            ...(options.name ? { name: options.name } : {}),
            ...(options.state ? { state: options.state } : {}),
            ...(options.version ? { version: options.version } : {}),
            ...(options.checkpointType ? { checkpointType: options.checkpointType } : {}),
            ...(options.fileLocation ? { checkpointFileLocation: options.fileLocation } : {}),
            ...(options.automaticCheckpoints !== undefined ? { automaticCheckpointsEnabled: options.automaticCheckpoints } : {}),
            ...(options.backup !== undefined ? { backupServiceEnabled: options.backup } : {}),
            ...(options.guestBackup !== undefined ? { guestBackupResponding: options.guestBackup } : {}),
            ...(options.memory !== undefined ? { memoryMB: options.memory } : {}),
        };
        const changed = await setVm(globals(command).lab, vmRef(target), change);
        report(command, changed, `VM "${changed.name}" (${changed.id}) is ${changed.state}`);
    });

vm.command("write")
    .description("the guest writes to its disks: what merging them will later copy")
    .argument("<vm>", "name or id")
    .argument("<size>", "e.g. 20GB", size)
    .action(async (target: string, bytes: number, _options: unknown, command: Command) => {
        const written = await writeToVm(globals(command).lab, vmRef(target), bytes);
        report(command, written, `VM "${written.name}" wrote ${bytes} bytes to ${written.hardDrives.length} disk(s)`);
    });

vm.command("start")
    .description("start (or resume) a VM")
    .argument("<vm>", "name or id")
    .action(async (target: string, _options: unknown, command: Command) => {
        const started = await startLabVm(globals(command).lab, vmRef(target));
        report(command, started, `VM "${started.name}" is ${started.state}`);
    });

vm.command("stop")
    .description("shut a VM down cleanly (removes automatic checkpoints), or turn it off")
    .argument("<vm>", "name or id")
    .option("--turn-off", "pull the plug instead of a clean shutdown")
    .action(async (target: string, options: { turnOff?: boolean }, command: Command) => {
        const stopped = await stopLabVm(globals(command).lab, vmRef(target), { turnOff: options.turnOff ?? false });
        report(command, stopped, `VM "${stopped.name}" is ${stopped.state}`);
    });

vm.command("save")
    .description("save a running VM's state")
    .argument("<vm>", "name or id")
    .action(async (target: string, _options: unknown, command: Command) => {
        const saved = await saveLabVm(globals(command).lab, vmRef(target));
        report(command, saved, `VM "${saved.name}" is ${saved.state}`);
    });

vm.command("suspend")
    .description("pause a running VM (Suspend-VM)")
    .argument("<vm>", "name or id")
    .action(async (target: string, _options: unknown, command: Command) => {
        const paused = await suspendLabVm(globals(command).lab, vmRef(target));
        report(command, paused, `VM "${paused.name}" is ${paused.state}`);
    });

vm.command("resume")
    .description("resume a paused VM (Resume-VM)")
    .argument("<vm>", "name or id")
    .action(async (target: string, _options: unknown, command: Command) => {
        const resumed = await resumeLabVm(globals(command).lab, vmRef(target));
        report(command, resumed, `VM "${resumed.name}" is ${resumed.state}`);
    });

const checkpoint = program.command("checkpoint").description("checkpoint operations out of band, to create drift");

checkpoint
    .command("take")
    .description("take a checkpoint, of the type the VM's policy says")
    .argument("<vm>", "name or id")
    .argument("<name>")
    .addOption(new Option("--snapshot-type <type>", "leave a non-user checkpoint, e.g. Recovery or Replica").choices(snapshotTypeSchema.options))
    .action(async (target: string, name: string, options: { snapshotType?: (typeof snapshotTypeSchema.options)[number] }, command: Command) => {
        const taken = await takeCheckpointOutOfBand(globals(command).lab, vmRef(target), {
            name,
            ...(options.snapshotType ? { snapshotType: options.snapshotType } : {}),
        });
        // Recovery and replica checkpoints come from backup and replication, not from the VM's policy: say which.
        const what = taken.checkpoint.snapshotType === "Standard" ? `${taken.kind} checkpoint` : `${taken.checkpoint.snapshotType} checkpoint`;
        report(command, taken, `Took ${what} "${taken.checkpoint.name}" (${taken.checkpoint.id})${taken.fellBack ? ", fell back from production" : ""}`);
    });

checkpoint
    .command("rename")
    .argument("<vm>", "name or id")
    .argument("<checkpoint>", "name or id")
    .argument("<new-name>")
    .action(async (target: string, cp: string, newName: string, _options: unknown, command: Command) => {
        await renameLabCheckpoint(globals(command).lab, vmRef(target), checkpointRef(cp), newName);
        report(command, { renamed: cp, to: newName }, `Renamed checkpoint "${cp}" to "${newName}"`);
    });

checkpoint
    .command("apply")
    .description("restore a checkpoint")
    .argument("<vm>", "name or id")
    .argument("<checkpoint>", "name or id")
    .option("--start", "start the VM afterwards")
    .action(async (target: string, cp: string, options: { start?: boolean }, command: Command) => {
        const after = await applyLabCheckpoint(globals(command).lab, vmRef(target), checkpointRef(cp), { start: options.start ?? false });
        report(command, after, `Applied "${cp}"; VM "${after.name}" is ${after.state}`);
    });

checkpoint
    .command("remove")
    .description("remove a checkpoint, merging its disks")
    .argument("<vm>", "name or id")
    .argument("<checkpoint>", "name or id")
    .action(async (target: string, cp: string, _options: unknown, command: Command) => {
        await removeLabCheckpoint(globals(command).lab, vmRef(target), checkpointRef(cp));
        report(command, { removed: cp }, `Removed checkpoint "${cp}"`);
    });

program.parseAsync(process.argv).catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    if (program.opts<GlobalOptions>().json) {
        process.stderr.write(`${JSON.stringify({ error: { code: isHostError(e) ? e.code : "Error", message } })}\n`);
    } else {
        process.stderr.write(`hyperv-lab: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    }
    process.exitCode = 1;
});
