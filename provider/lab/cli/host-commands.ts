import { type Command, Option } from "commander";
import { labLanguageSchema } from "../document";
import { setHostSettings } from "../init";
import { latencyProfileSchema, type LatencyProfile } from "../latency";
import { setVolume } from "../volume-settings";
import { positiveNumber, size } from "./arguments";
import { globals, report } from "./report";

/** `hyperv-lab host set`: the simulated host's own settings. */
export function addHostCommands(program: Command): void {
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
    host.command("volume <drive>")
        .description("size a volume: its capacity, and optionally how much of it is free now (other files take the rest)")
        .requiredOption("--size <bytes>", "capacity, e.g. 100GB", size)
        .option("--free <bytes>", "free space now, e.g. 2GB", size)
        .action(async (drive: string, options: { size: number; free?: number }, command: Command) => {
            const volume = await setVolume(globals(command).lab, drive, options.size, options.free);
            report(command, volume, `Volume ${volume.name}: ${volume.freeSpace} of ${volume.capacity} bytes free`);
        });
}
