import { isHostError, type Checkpoint, type HostFor } from "../../host";
import { onlyTheMomentDecides, type PreviewMemory } from "../shared/preview";
import type { WarnOnResource } from "../shared/resource-warnings";
import { vmRefOf } from "../shared/vm-target";
import { nothingTaken, reasonOf, type MemberOutcome } from "./errors";
import { pausedForTake, refusalOf, refusalErrorOf, type CheckedMember } from "./plan";
import type { GroupInputs } from "./schema";

/**
 * Preview's prediction for a new group (see shared/preview), from one shared read per VM: fails
 * with the error `up` would give when a VM is certain to be refused (it does not exist, its name
 * is ambiguous, it would pass 50 checkpoints counting what this preview adds, its policy is
 * Disabled, it can never make the production-only checkpoint asked for), and warns about what
 * only the moment or the order decides (a VM starting, a guest whose VSS does not answer yet, a
 * VM that only a policy of this stack disables). Changes nothing.
 */
export async function predictGroup(hostFor: HostFor, preview: PreviewMemory, inputs: GroupInputs, warnOnResource: WarnOnResource): Promise<void> {
    const outcomes: MemberOutcome[] = [];
    const warnings: string[] = [];
    let certain: unknown;
    for (const member of inputs.vms) {
        const host = hostFor(member.host);
        const at = { host: host.displayName, vm: member.vmName ?? member.vmId!, checkpoint: inputs.name! };
        let checked: CheckedMember;
        try {
            const listing = await preview.read(host, vmRefOf(member));
            const declaredType = preview.declaredPolicy(host, listing.vm.id);
            const vm = declaredType !== undefined ? { ...listing.vm, checkpointType: declaredType } : listing.vm;
            // Only the count matters to the 50 limit: the checkpoints this preview takes first stand in as copies.
            const planned = Array.from({ length: preview.plannedCreates(host, vm.id) }, () => undefined as unknown as Checkpoint);
            checked = {
                member,
                hostName: host.displayName,
                listing: { vm, checkpoints: [...listing.checkpoints, ...planned] },
                caps: await host.capabilities(),
            };
            preview.planCreate(host, vm.id);
            const refusal = refusalErrorOf(inputs, checked);
            const disabledByStackOnly = declaredType === "Disabled" && listing.vm.checkpointType !== "Disabled" && isHostError(refusal, "CheckpointsDisabled");
            const transient = onlyTheMomentDecides(refusal, vm, pausedForTake(inputs, checked));
            if (refusal === null || disabledByStackOnly || transient) {
                if (refusal !== null) warnings.push(`VM "${vm.name}": ${reasonOf(refusal)}`);
                outcomes.push({ ...at, vm: vm.name, vmId: vm.id, outcome: "checked: nothing taken" });
                continue;
            }
            certain ??= refusal;
            outcomes.push({ ...at, vm: vm.name, vmId: vm.id, outcome: `refused: ${refusalOf(inputs, checked)}` });
        } catch (e) {
            certain ??= e;
            outcomes.push({ ...at, outcome: `refused: ${reasonOf(e)}` });
        }
    }
    if (certain !== undefined) {
        throw nothingTaken(inputs.name!, outcomes, certain);
    }
    if (warnings.length > 0) {
        await warnOnResource(inputs.resourceUrn, `${warnings.join("; ")} (\`pulumi up\` refuses the whole group this way unless this changes before it runs)`);
    }
}
