import { hyperVErrorIds } from "../../../provider/powershell/error-records";
import { recordFor } from "../stand-in/records";
import { isHostError } from "../../../provider/host/errors";
import type { TakenCheckpoint, VmRef } from "../../../provider/host/model";
import type { HyperVHost } from "../../../provider/host/port";
import { decodeParameter } from "../../../provider/powershell/scripts/render";
import type { InvocationOptions, Transport } from "../../../provider/powershell/transport";

// biome-ignore lint/suspicious/noExplicitAny: decoded script input, shaped by the operation that reads it
type Input = Record<string, any>;

function refOf(wire: { id?: string; name?: string }): VmRef {
    return wire.id ? { id: wire.id } : { name: wire.name ?? "" };
}

/** Only the fields a script was given: the scripts read null as "leave alone". */
function present<T extends object>(fields: T): Partial<T> {
    return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/**
 * A stand-in Hyper-V host: it answers each operation script with the JSON document the script
 * would print on a host in the state of a lab, through the lab's own port methods, and a lab
 * refusal as the error envelope of the same record. The PowerShell host on top of it then shows
 * that it sends what the scripts read and reads back what the lab decided.
 */
export class LabTransport implements Transport {
    readonly displayName = "lab-backed-host";
    readonly operations: string[] = [];
    /** What the lab itself answered the last take checkpoint, to compare with the adapter's reading. */
    lastTaken: TakenCheckpoint | null = null;

    constructor(private readonly lab: HyperVHost) {}

    async invoke(script: string, _options: InvocationOptions): Promise<string> {
        const operation = /^# hyperv-checkpoints: (.+)$/m.exec(script)?.[1] ?? "?";
        this.operations.push(operation);
        try {
            return JSON.stringify({ ok: await this.answer(operation, decodeParameter(script) as Input) });
        } catch (e) {
            // What Hyper-V refuses travels as its error record; what the adapter refuses itself stays as thrown.
            if (isHostError(e) && e.code in hyperVErrorIds) return JSON.stringify({ error: recordFor(e) });
            throw e;
        }
    }

    private async answer(operation: string, input: Input): Promise<unknown> {
        const lab = this.lab;
        switch (operation) {
            case "read host capabilities":
                return { ...(await lab.capabilities()), psEdition: "Core", psVersion: "7.4.6" };
            case "read VM": {
                const { vm, checkpoints, storage } = await lab.getVmWithCheckpoints(refOf(input));
                return input.includeCheckpoints ? { vm, checkpoints, storage } : { vm };
            }
            case "apply checkpoint settings": {
                const { vm, ...desired } = input;
                return lab.applyCheckpointSettings(refOf(vm), present(desired));
            }
            case "take checkpoint": {
                const taken = await lab.takeCheckpoint(
                    refOf(input.vm),
                    present({ name: input.name, temporaryType: input.temporaryType, guard: input.guard }) as { name: string },
                );
                this.lastTaken = taken;
                const typeUsed = input.temporaryType ?? taken.vm.checkpointType;
                return { vmBefore: taken.vm, typeUsed, checkpoint: taken.checkpoint, namesakes: taken.namesakes, storage: taken.storage };
            }
            case "apply checkpoint":
                return { vm: await lab.applyCheckpoint(input.vmId, input.checkpointId, { start: input.start }) };
            case "rename checkpoint":
                return { checkpoint: await lab.renameCheckpoint(input.vmId, input.checkpointId, input.newName) };
            case "remove checkpoint":
                await lab.removeCheckpoint(input.vmId, input.checkpointId);
                return { removed: input.checkpointId };
            default:
                throw new Error(`the lab-backed transport does not know "${operation}"`);
        }
    }

    async dispose(): Promise<void> {}
}
