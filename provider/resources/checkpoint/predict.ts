import type { HyperVHost, Vm, VmWithCheckpoints } from "../../host";
import { hyperVTypeOf } from "../shared/checkpoint-declaration";
import { predictTake } from "../shared/predict-take";
import { asOperation, asPrediction, onlyTheMomentDecides, type PreviewMemory } from "../shared/preview";
import type { WarnOnResource } from "../shared/resource-warnings";
import { vmRefOf } from "../shared/vm-target";
import { guardError, takeGuardOf } from "../shared/take-limits";
import { withFittingAdvice } from "./disabled-advice";
import type { CheckpointInputs } from "./schema";

/**
 * Preview's prediction for a new checkpoint (see shared/preview): fails with the error `up` would
 * give for what is certain, from one shared read of the VM and explainRefusedTake, which `up`
 * explains its refusals with: a VM that does not exist or whose name is ambiguous, a VM already at
 * 50 checkpoints (counting the ones this preview adds to it first), a Disabled policy (as a policy
 * of this preview declares it, else as the host has it; disabled by that policy alone only warns,
 * unless the checkpoint dependsOn it, since otherwise `up` may take the checkpoint first),
 * production-only on a VM that can never make production checkpoints. What only the moment
 * decides (a VM starting, a guest whose VSS does not answer yet) is a warning. Changes nothing.
 */
export async function predictCheckpoint(host: HyperVHost, preview: PreviewMemory, inputs: CheckpointInputs, warnOnResource: WarnOnResource): Promise<void> {
    const ref = vmRefOf(inputs);
    if (inputs.adoptId !== undefined) {
        // Adoption starts with this very read, so its failure is already the one `up` gives.
        await preview.read(host, ref);
        return;
    }
    let listing: VmWithCheckpoints;
    try {
        listing = await preview.read(host, ref);
    } catch (e) {
        throw asOperation(e, ref, "take checkpoint");
    }
    // Disabled only by a policy of this stack: certain only if the policy applies first (dependsOn),
    // which check cannot see; without it `up` may take the checkpoint before. A warning, as for the
    // governance rule hyperv-no-checkpoints-on-disabled-vms, which still gets to judge it.
    const dependsOn = preview.dependsOnOf(inputs.resourceUrn);
    const policyUrn = preview.declaringPolicy(host, listing.vm.id)?.urn;
    const afterThePolicy = policyUrn !== undefined && dependsOn.includes(policyUrn);
    // A failing read of the host's capabilities fails preview as a refusal read from the host would.
    const caps = await host.capabilities().catch((e: unknown) => {
        throw withFittingAdvice(asPrediction(e) as Error, dependsOn);
    });
    const { vm, refusal, disabledByStackOnly } = predictTake(host, preview, listing, inputs, caps);
    if (refusal !== null) {
        const predicted = asPrediction(refusal) as Error;
        if (disabledByStackOnly && !afterThePolicy) {
            await warnOnResource(
                inputs.resourceUrn,
                `${predicted.message} (the stack's VmCheckpointPolicy disables it: \`pulumi up\` fails this way if the policy applies first)`,
            );
        } else {
            if (!onlyTheMomentDecides(refusal, vm)) throw withFittingAdvice(predicted, dependsOn);
            await warnOnResource(inputs.resourceUrn, `${predicted.message} (\`pulumi up\` fails the same way unless this changes before it runs)`);
        }
    }
    refuseBeyondGuard(host, preview, inputs, listing, vm);
    preview.planCreate(host, vm.id);
}

/** The take limits (its own minFreeSpace, maxChainDepth, else its policyLimits; without any, a take that cannot fit at all) on the VM as read: `up`'s host refuses with the same words. */
function refuseBeyondGuard(host: HyperVHost, preview: PreviewMemory, inputs: CheckpointInputs, listing: VmWithCheckpoints, vm: Vm): void {
    const refusal = guardError(vm, listing.storage, {
        hostName: host.displayName,
        checkpoint: inputs.name,
        type: inputs.type !== undefined ? hyperVTypeOf[inputs.type] : vm.checkpointType,
        guard: takeGuardOf(inputs, inputs.policyLimits),
        takenBefore: preview.plannedCreates(host, vm.id),
        predicted: true,
    });
    if (refusal !== null) throw refusal;
}
