import { isHostError, type HostFor } from "../../host";
import { onlyTheMomentDecides, type PreviewMemory } from "../shared/preview";
import type { WarnOnResource } from "../shared/resource-warnings";
import { predictTake } from "../shared/predict-take";
import { vmRefOf } from "../shared/vm-target";
import { nothingTaken, reasonOf, type MemberOutcome } from "./errors";
import { checkpointDeclaration } from "./plan";
import { describeRefusal, sameVmAs } from "./refusals";
import { memberGuardError, type SpentSpace } from "./guard";
import type { GroupInputs } from "./schema";

/**
 * Preview's prediction for a new group (see shared/preview), from one shared read per VM: fails
 * with the error `up` would give when a VM is certain to be refused (it does not exist, its name
 * is ambiguous, it is named twice (once by name, once by id), it would pass 50 checkpoints counting what this preview adds, its policy is
 * Disabled, it can never make the production-only checkpoint asked for, its take would break the
 * group's or its policy's limits or cannot fit on a volume at all), and warns about what
 * only the moment or the order decides (a VM starting, a guest whose VSS does not answer yet, a
 * VM that only a policy of this stack disables). Changes nothing.
 */
export async function predictGroup(hostFor: HostFor, preview: PreviewMemory, inputs: GroupInputs, warnOnResource: WarnOnResource): Promise<void> {
    const outcomes: MemberOutcome[] = [];
    const warnings: string[] = [];
    const seen = new Map<string, number>();
    const spent: SpentSpace = new Map();
    let refused = false;
    let certain: unknown;
    for (const [index, member] of inputs.vms.entries()) {
        const host = hostFor(member.host);
        const at = { host: host.displayName, vm: member.vmName ?? member.vmId!, checkpoint: inputs.name! };
        try {
            const listing = await preview.read(host, vmRefOf(member));
            const twin = seen.get(`${host.displayName}\n${listing.vm.id}`);
            if (twin !== undefined) {
                refused = true;
                outcomes.push({ ...at, vm: listing.vm.name, vmId: listing.vm.id, outcome: `refused: ${sameVmAs(twin)}` });
                continue;
            }
            seen.set(`${host.displayName}\n${listing.vm.id}`, index);
            const declaration = checkpointDeclaration(inputs, member);
            const paused = inputs.simultaneous === true && listing.vm.state === "Running";
            const caps = await host.capabilities();
            const predicted = predictTake(host, preview, listing, declaration, caps, paused);
            const { vm, disabledByStackOnly } = predicted;
            const atTake = paused ? { ...vm, state: "Paused" as const } : vm;
            const memberHost = { name: host.displayName, cluster: caps.cluster !== undefined };
            const takenBefore = preview.plannedCreates(host, vm.id);
            const refusal = predicted.refusal ?? memberGuardError(inputs, member, atTake, listing.storage, memberHost, spent, { takenBefore, predicted: true });
            preview.planCreate(host, vm.id);
            const transient = onlyTheMomentDecides(refusal, vm, paused);
            if (refusal === null || disabledByStackOnly || transient) {
                if (refusal !== null) warnings.push(`VM "${vm.name}": ${reasonOf(refusal)}`);
                outcomes.push({ ...at, vm: vm.name, vmId: vm.id, outcome: "checked: nothing taken" });
                continue;
            }
            refused = true;
            certain ??= refusal;
            outcomes.push({
                ...at,
                vm: vm.name,
                vmId: vm.id,
                outcome: `refused: ${isHostError(refusal, "CheckpointLimit") ? reasonOf(refusal) : describeRefusal(refusal, paused)}`,
            });
        } catch (e) {
            refused = true;
            certain ??= e;
            outcomes.push({ ...at, outcome: `refused: ${reasonOf(e)}` });
        }
    }
    if (refused) {
        throw nothingTaken(inputs.name!, outcomes, certain);
    }
    if (warnings.length > 0) {
        await warnOnResource(inputs.resourceUrn, `${warnings.join("; ")} (\`pulumi up\` refuses the whole group this way unless this changes before it runs)`);
    }
}
