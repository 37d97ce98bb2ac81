import {
    firstTakeRefusal,
    HostError,
    MAX_CHECKPOINTS_PER_VM,
    isTransitional,
    plannedCheckpointKind,
    type ErrorContext,
    type HostCapabilities,
    type Vm,
} from "../../host";
import { type CheckpointTypeArg, hyperVTypeOf } from "./checkpoint-declaration";

/** What a refusal depends on in a declaration: the checkpoint's name and per-checkpoint type. */
export interface TakeDeclaration {
    name?: string | undefined;
    type?: CheckpointTypeArg | undefined;
}

/**
 * What Hyper-V refuses, in the declaration's terms: a VM in transition, a type switch on a host
 * without types, a Disabled policy (never overridden: disabling exists to stop accidents on
 * servers), a production-only checkpoint that cannot be made now, a full VM (50). The host
 * refuses these itself, in one call, in the order of takeRefusalOrder; this explains its refusal
 * from a listing of the VM, in the same order, so that preview names the refusal `up` meets. Only
 * the VM's checkpoint count matters to the limit, so preview can add the ones it plans to take first.
 */
export function explainRefusedTake(inputs: TakeDeclaration, vm: Vm, checkpointCount: number, caps: HostCapabilities, hostName: string): void {
    const ctx = { host: hostName, vm: vm.name, vmId: vm.id, checkpoint: inputs.name, operation: "take checkpoint" };
    const refusal = firstTakeRefusal<HostError>({
        InvalidVmState: () =>
            isTransitional(vm.state)
                ? new HostError("InvalidVmState", `the VM is ${vm.state}; Hyper-V refuses checkpoints until it is Running, Off, Saved or Paused`, ctx)
                : null,
        UnsupportedByHost: () =>
            inputs.type !== undefined && !caps.supportsCheckpointType
                ? new HostError(
                      "UnsupportedByHost",
                      `the host runs ${caps.osCaption} (build ${caps.osBuild}), which has no checkpoint types, so "type" cannot be applied`,
                      ctx,
                      { hint: "remove type: this host takes standard checkpoints only" },
                  )
                : null,
        CheckpointsDisabled: () =>
            vm.checkpointType === "Disabled"
                ? new HostError(
                      "CheckpointsDisabled",
                      `the VM's checkpoint policy is Disabled${inputs.type ? `, and a per-checkpoint type (${inputs.type}) never overrides it` : ""}`,
                      ctx,
                  )
                : null,
        ProductionUnavailable: () => productionUnavailable(inputs, vm, ctx),
        CheckpointLimit: () =>
            checkpointCount >= MAX_CHECKPOINTS_PER_VM
                ? // The engine creates before it deletes: a program that removes some of them and adds this one
                  // would fail on every `up` without the second way out.
                  new HostError("CheckpointLimit", `the VM already has ${checkpointCount} checkpoints, Hyper-V's limit is ${MAX_CHECKPOINTS_PER_VM}`, ctx, {
                      // (--continue-on-error does not help: the engine deletes only after a program that ran to the end.)
                      hint:
                          "delete or merge old ones first. If this program already removes some of them, the engine creates before it deletes: " +
                          "delete those first with `pulumi destroy --target <URN>` for each (`pulumi stack --show-urns` lists them), then `pulumi up`",
                  })
                : null,
    });
    if (refusal) throw refusal;
}

function productionUnavailable(inputs: TakeDeclaration, vm: Vm, ctx: ErrorContext): HostError | null {
    const type = inputs.type !== undefined ? hyperVTypeOf[inputs.type] : vm.checkpointType;
    const planned = plannedCheckpointKind(vm, type);
    if (!("refused" in planned) || planned.refused !== "production") return null;
    // The advice names the argument that asked for production-only: this checkpoint's type, or the VM's policy.
    const hint =
        inputs.type !== undefined
            ? `give this Checkpoint type: "production" (it falls back to standard) or "standard", or fix the reason given`
            : 'the VM\'s VmCheckpointPolicy is production-only (fallbackToStandard: false): give this Checkpoint type: "production" or "standard", set fallbackToStandard: true on the policy, or fix the reason given';
    return new HostError("ProductionUnavailable", `a production-only checkpoint cannot be made now: ${planned.blocker.detail}`, ctx, { hint });
}
