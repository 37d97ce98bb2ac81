import { z } from "zod";
import type { ErrorContext } from "../host/errors";
import type {
    AppliedCheckpointSettings,
    Checkpoint,
    CheckpointRemoval,
    DesiredCheckpointSettings,
    TakeCheckpointRequest,
    TakenCheckpoint,
    Vm,
    VmReadOptions,
    VmRef,
    VmWithCheckpoints,
} from "../host/model";
import { checkpointTypeSchema } from "../host/model";
import { refuseUnsendable } from "../host/text";
import type { HyperVHost } from "../host/port";
import { kindOfTakenCheckpoint } from "./checkpoint-kind";
import {
    appliedSettingsResultSchema,
    checkpointResultSchema,
    locatedVmResultSchema,
    parseResult,
    powerShellCapabilitiesSchema,
    vmWithCheckpointsResultSchema,
    removedResultSchema,
    takenCheckpointResultSchema,
    vmResultSchema,
    type PowerShellCapabilities,
} from "./parse";
import {
    applyCheckpointScript,
    applyCheckpointSettingsScript,
    capabilitiesScript,
    locateVmScript,
    powerVmScript,
    readVmScript,
    removeCheckpointScript,
    renameCheckpointScript,
    renderScript,
    restoreCheckpointTypeScript,
    takeCheckpointScript,
    type OperationScript,
} from "./scripts";
import type { Timeouts } from "./target";
import type { Compensation, FunctionCall, InvocationOptions, Transport } from "./transport";
import { functionNameOf } from "./module/module";
import { encodeParameter } from "./scripts/render";

/** The undo record take-checkpoint announces before it switches the VM's type (see scripts/undo.ts). */
const temporaryTypeRecordSchema = z.object({
    vmId: z.string(),
    vmName: z.string(),
    checkpointType: checkpointTypeSchema,
    temporaryType: checkpointTypeSchema,
});

/** Every string of an input, by its path (vm.name, newName...). */
function textFields(input: unknown, path = ""): Record<string, unknown> {
    if (typeof input === "string") return { [path || "input"]: input };
    if (input === null || typeof input !== "object") return {};
    return Object.assign({}, ...Object.entries(input).map(([k, v]) => textFields(v, path ? `${path}.${k}` : k)));
}

/** The operation as the host-side module's function takes it: the same payload its script holds. */
function functionCall(script: OperationScript, input: unknown): FunctionCall {
    return { function: functionNameOf(script), payload: encodeParameter(input) };
}

/** How errors name a VM: by id, or by the name it was asked for. */
function vmContext(ref: VmRef): Pick<ErrorContext, "vm" | "vmId"> {
    return "id" in ref ? { vmId: ref.id } : { vm: ref.name };
}

/** A VmRef as the scripts read it (Get-HvcpVm -Id -Name): one of the two, nothing else. */
function wireRef(ref: VmRef): VmRef {
    return "id" in ref ? { id: ref.id } : { name: ref.name };
}

interface Call<T extends z.ZodType> {
    script: OperationScript;
    input: Record<string, unknown>;
    result: T;
    context: Omit<ErrorContext, "host" | "operation">;
    readOnly: boolean;
    timeoutMs?: number;
    compensate?: InvocationOptions["compensate"];
}

/**
 * Hyper-V through PowerShell: every port method is one static script with its inputs as one
 * base64 JSON parameter, run in one round trip on the target's shell. Capabilities are read once;
 * per-VM ordering is the composition root's (host/vm-ordering), as for every host.
 */
export class PowerShellHost implements HyperVHost {
    readonly displayName: string;
    private capabilitiesRead: Promise<PowerShellCapabilities> | null = null;

    constructor(
        private readonly transport: Transport,
        private readonly timeouts: Timeouts,
    ) {
        this.displayName = transport.displayName;
    }

    capabilities(): Promise<PowerShellCapabilities> {
        this.capabilitiesRead ??= this.call({
            script: capabilitiesScript,
            input: {},
            result: powerShellCapabilitiesSchema,
            context: {},
            readOnly: true,
        }).catch((e: unknown) => {
            this.capabilitiesRead = null;
            throw e;
        });
        return this.capabilitiesRead;
    }

    async getVm(ref: VmRef, options: VmReadOptions = {}): Promise<Vm> {
        const { vm } = await this.call({
            script: readVmScript,
            input: { ...ref, includeCheckpoints: false, ...(options.mergeOutcome ? { mergeOutcome: true } : {}) },
            result: vmResultSchema,
            context: vmContext(ref),
            readOnly: true,
        });
        return vm;
    }

    /**
     * Whether this node holds the VM (VmNotFound when not) and a migration taking it away: a
     * cluster's directory asks each node this (provider/cluster/directory.ts, NodeLocator).
     */
    locateVm(vmId: string): Promise<{ migration: { to: string | null } | null }> {
        return this.call({
            script: locateVmScript,
            input: { id: vmId },
            result: locatedVmResultSchema,
            context: { vmId },
            readOnly: true,
        });
    }

    getVmWithCheckpoints(ref: VmRef): Promise<VmWithCheckpoints> {
        return this.call({
            script: readVmScript,
            input: { ...ref, includeCheckpoints: true },
            result: vmWithCheckpointsResultSchema,
            context: vmContext(ref),
            readOnly: true,
        });
    }

    applyCheckpointSettings(ref: VmRef, desired: DesiredCheckpointSettings): Promise<AppliedCheckpointSettings> {
        return this.call({
            script: applyCheckpointSettingsScript,
            input: {
                vm: wireRef(ref),
                checkpointType: desired.checkpointType ?? null,
                checkpointFileLocation: desired.checkpointFileLocation ?? null,
                automaticCheckpointsEnabled: desired.automaticCheckpointsEnabled ?? null,
                reenableCheckpoints: desired.reenableCheckpoints ?? false,
                fileLocationWhileCheckpointed: desired.fileLocationWhileCheckpointed ?? "refuse",
                enableBackupIntegration: desired.enableBackupIntegration ?? false,
                refuseImpossibleProductionOnly: desired.refuseImpossibleProductionOnly ?? false,
            },
            result: appliedSettingsResultSchema,
            context: vmContext(ref),
            readOnly: false,
        });
    }

    async takeCheckpoint(ref: VmRef, request: TakeCheckpointRequest): Promise<TakenCheckpoint> {
        const taken = await this.call({
            script: takeCheckpointScript,
            input: { vm: wireRef(ref), name: request.name, temporaryType: request.temporaryType ?? null, guard: request.guard ?? null },
            result: takenCheckpointResultSchema,
            context: { ...vmContext(ref), checkpoint: request.name },
            readOnly: false,
            compensate: (record) => this.restoreCheckpointType(record),
        });
        return {
            vm: taken.vmBefore,
            checkpoint: taken.checkpoint,
            ...kindOfTakenCheckpoint(taken.vmBefore, taken.typeUsed, taken.checkpoint),
            vmStateAtCreation: taken.vmBefore.state,
            namesakes: taken.namesakes,
            storage: taken.storage,
        };
    }

    async applyCheckpoint(vmId: string, checkpointId: string, options: { start?: boolean } = {}): Promise<Vm> {
        const { vm } = await this.call({
            script: applyCheckpointScript,
            input: { vmId, checkpointId, start: options.start ?? false },
            result: vmResultSchema,
            context: { vmId, checkpointId },
            readOnly: false,
        });
        return vm;
    }

    async renameCheckpoint(vmId: string, checkpointId: string, newName: string): Promise<Checkpoint> {
        const { checkpoint } = await this.call({
            script: renameCheckpointScript,
            input: { vmId, checkpointId, newName },
            result: checkpointResultSchema,
            context: { vmId, checkpointId, checkpoint: newName },
            readOnly: false,
        });
        return checkpoint;
    }

    async removeCheckpoint(vmId: string, checkpointId: string): Promise<CheckpointRemoval> {
        const { merge, mergeFailure } = await this.call({
            script: removeCheckpointScript,
            input: { vmId, checkpointId },
            result: removedResultSchema,
            context: { vmId, checkpointId },
            readOnly: false,
            // Remove-VMSnapshot merges the differencing disks into their parents.
            timeoutMs: this.timeouts.removalSeconds * 1000,
        });
        return { ...(merge ? { merge } : {}), ...(mergeFailure ? { mergeFailure } : {}) };
    }

    startVm(vmId: string): Promise<Vm> {
        return this.powerVm(vmId, "start");
    }

    suspendVm(vmId: string): Promise<Vm> {
        return this.powerVm(vmId, "suspend");
    }

    resumeVm(vmId: string): Promise<Vm> {
        return this.powerVm(vmId, "resume");
    }

    private async powerVm(vmId: string, action: "start" | "suspend" | "resume"): Promise<Vm> {
        const { vm } = await this.call({ script: powerVmScript, input: { vmId, action }, result: vmResultSchema, context: { vmId }, readOnly: false });
        return vm;
    }

    dispose(): Promise<void> {
        return this.transport.dispose();
    }

    /** Puts a VM's policy back after a take under a temporary type was cut off before its `finally`. */
    private restoreCheckpointType(record: unknown): Compensation {
        const switched = temporaryTypeRecordSchema.parse(record);
        const input = {
            ...switched,
            // Leave the compensation's own shell call time to answer.
            waitSeconds: Math.max(1, Math.floor(this.timeouts.operationSeconds * 0.8)),
        };
        return {
            script: renderScript(restoreCheckpointTypeScript, input),
            call: functionCall(restoreCheckpointTypeScript, input),
            done: `The VM's checkpoint type, switched to ${switched.temporaryType} for this checkpoint, was put back to ${switched.checkpointType}`,
            failed: (why) =>
                `The VM was left on checkpoint type ${switched.temporaryType}, switched for this checkpoint, and could not be put back (${why}): ` +
                `run \`Set-VM -Id ${switched.vmId} -CheckpointType ${switched.checkpointType}\` on the host`,
        };
    }

    private async call<T extends z.ZodType>(call: Call<T>): Promise<z.output<T>> {
        const context: ErrorContext = { host: this.displayName, operation: call.script.operation, ...call.context };
        refuseUnsendable(textFields(call.input), context);
        const output = await this.transport.invoke(renderScript(call.script, call.input), {
            operation: call.script.operation,
            call: functionCall(call.script, call.input),
            readOnly: call.readOnly,
            subject: call.context,
            ...(call.timeoutMs !== undefined ? { timeoutMs: call.timeoutMs } : {}),
            ...(call.compensate ? { compensate: call.compensate } : {}),
        });
        return parseResult(output, call.result, context);
    }
}
