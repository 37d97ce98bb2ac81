import { type Command, Option } from "commander";
import { snapshotTypeSchema } from "../../host/model";
import { applyLabCheckpoint, removeLabCheckpoint, renameLabCheckpoint, takeCheckpointOutOfBand } from "../operator";
import { checkpointRef, vmRef } from "./arguments";
import { globals, report } from "./report";

/** `hyperv-lab checkpoint ...`: checkpoint operations out of band, to create drift. */
export function addCheckpointCommands(program: Command): void {
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
}
