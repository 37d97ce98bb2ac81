import { HostError, MAX_CHECKPOINTS_PER_VM, isTransitional, plannedCheckpointKind, type Checkpoint, type HostCapabilities, type Vm } from "../../host";
import { hyperVTypeOf } from "./hyperv-type";
import type { CheckpointInputs } from "./schema";

/**
 * What Hyper-V refuses, in the declaration's terms: a full VM (50), a Disabled policy (never
 * overridden: disabling exists to stop accidents on servers), a VM in transition, a
 * production-only checkpoint that cannot be made now, a type switch on a host without types. The
 * host refuses these itself, in one call; this explains its refusal from a listing of the VM.
 */
export function explainRefusedTake(inputs: CheckpointInputs, vm: Vm, checkpoints: Checkpoint[], caps: HostCapabilities, hostName: string): void {
    const ctx = { host: hostName, vm: vm.name, vmId: vm.id, checkpoint: inputs.name, operation: "take checkpoint" };
    if (checkpoints.length >= MAX_CHECKPOINTS_PER_VM) {
        // The engine creates before it deletes: a program that removes some of them and adds this one
        // would fail on every `up` without the second way out.
        throw new HostError("CheckpointLimit", `the VM already has ${checkpoints.length} checkpoints, Hyper-V's limit is ${MAX_CHECKPOINTS_PER_VM}`, ctx, {
            // (--continue-on-error does not help: the engine deletes only after a program that ran to the end.)
            hint:
                "delete or merge old ones first. If this program already removes some of them, the engine creates before it deletes: " +
                "delete those first with `pulumi destroy --target <URN>` for each (`pulumi stack --show-urns` lists them), then `pulumi up`",
        });
    }
    if (vm.checkpointType === "Disabled") {
        throw new HostError(
            "CheckpointsDisabled",
            `the VM's checkpoint policy is Disabled${inputs.type ? `, and a per-checkpoint type (${inputs.type}) never overrides it` : ""}`,
            ctx,
        );
    }
    if (isTransitional(vm.state)) {
        throw new HostError("InvalidVmState", `the VM is ${vm.state}; Hyper-V refuses checkpoints until it is Running, Off, Saved or Paused`, ctx);
    }
    if (inputs.type !== undefined && !caps.supportsCheckpointType) {
        throw new HostError(
            "UnsupportedByHost",
            `the host runs ${caps.osCaption} (build ${caps.osBuild}), which has no checkpoint types, so "type" cannot be applied`,
            ctx,
            { hint: "remove type: this host takes standard checkpoints only" },
        );
    }
    const type = inputs.type !== undefined ? hyperVTypeOf[inputs.type] : vm.checkpointType;
    const planned = plannedCheckpointKind(vm, type);
    if ("refused" in planned && planned.refused === "production") {
        // The advice names the argument that asked for production-only: this checkpoint's type, or the VM's policy.
        const hint =
            inputs.type !== undefined
                ? `give this Checkpoint type: "production" (it falls back to standard) or "standard", or fix the reason given`
                : 'the VM\'s VmCheckpointPolicy is production-only (fallbackToStandard: false): give this Checkpoint type: "production" or "standard", set fallbackToStandard: true on the policy, or fix the reason given';
        throw new HostError("ProductionUnavailable", `a production-only checkpoint cannot be made now: ${planned.blocker.detail}`, ctx, { hint });
    }
}
