import { type Command, Option } from "commander";
import { checkpointTypeSchema, vmStateSchema } from "../../host/model";
import { readLab } from "../store";
import { addVm, resumeLabVm, saveLabVm, setVm, startLabVm, stopLabVm, suspendLabVm, writeToVm, type VmChange } from "../operator";
import { describeVmChange } from "./vm-changes";
import { megabytes, onOff, positiveNumber, size, version, vmRef } from "./arguments";
import { migrateLabVm } from "../cluster-operator";
import { globals, report } from "./report";

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

/** `hyperv-lab vm ...`: add, change and power virtual machines. */
export function addVmCommands(program: Command): void {
    const vm = program.command("vm").description("add, change and power virtual machines");

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
        .option("--node <node>", "on a cluster lab: the node that runs the VM")
        .option("--clustered", "on a cluster lab: a clustered role (files on the shared volume by default; fails over)")
        .action(
            async (name: string, options: VmOptions & { backup?: "enabled" | "disabled" | "none"; node?: string; clustered?: boolean }, command: Command) => {
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
                    ...(options.node !== undefined ? { node: options.node } : {}),
                    ...(options.clustered ? { clustered: true } : {}),
                });
                const where = options.node === undefined ? "" : ` on ${options.node}${options.clustered ? ", clustered" : ""}`;
                report(command, created, `Added VM "${created.name}" (${created.id}), ${created.state}, version ${created.version}${where}`);
            },
        );

    vmSettingOptions(vm.command("set").description("change a VM's settings or state").argument("<vm>", "name or id"))
        .option("--name <name>", "rename the VM")
        .option("--backup <on|off>", "enable or disable the backup integration service", onOff)
        .option("--disk-merge <on|off>", "whether Hyper-V merges the VM's disks (off: Msvm_DiskMergeSettingData EnabledState 0)", onOff)
        .action(async (target: string, options: VmOptions & { name?: string; backup?: boolean; diskMerge?: boolean }, command: Command) => {
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
                ...(options.diskMerge !== undefined ? { diskMergeEnabled: options.diskMerge } : {}),
            };
            const { lab } = globals(command);
            const before = readLab(lab).vms;
            const changed = await setVm(lab, vmRef(target), change);
            const after = readLab(lab).vms.find((v) => v.id === changed.id)!;
            report(command, changed, describeVmChange(before.find((v) => v.id === changed.id)!, after));
        });

    vm.command("migrate")
        .description("move a clustered VM to another node: live migration, or quick (save, move, restore)")
        .argument("<vm>", "name or id")
        .requiredOption("--to <node>", "the destination node")
        .option("--quick", "quick migration instead of live")
        .option("--seconds <n>", "how long the VM stays mid-migration (default 0)", positiveNumber)
        .action(async (target: string, options: { to: string; quick?: boolean; seconds?: number }, command: Command) => {
            const landed = await migrateLabVm(globals(command).lab, vmRef(target), options.to, {
                quick: options.quick ?? false,
                ...(options.seconds !== undefined ? { seconds: options.seconds } : {}),
            });
            report(command, landed, `VM "${landed.vm}" runs on ${landed.ownerNode}`);
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
}
