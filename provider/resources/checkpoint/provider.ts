import type * as pulumi from "@pulumi/pulumi";
import { isHostError, type HostError, type HostFor } from "../../host";
import { withoutUndefined } from "../../shared/objects";
import { checkInputs, predictedFailures } from "../shared/check";
import type { WarnOnResource } from "../shared/resource-warnings";
import type { MergeWatch } from "../shared/merge-wait";
import { inputsIfChanged } from "../shared/read-inputs";
import { diffCheckpoint } from "./diff";
import { allKnown, asPrediction, takeHiddenInputs, type PreviewMemory } from "../shared/preview";
import { createCheckpoint, deleteCheckpoint, liveCheckpointDeclaration, readCheckpoint, refuseLostRollback, updateCheckpoint } from "./lifecycle";
import { predictCheckpoint } from "./predict";
import { retakenAfterRemoval } from "./removed-by-hand";
import { checkpointInputsSchema, checkpointOutputsSchema, type CheckpointInputs, type CheckpointOutputs } from "./schema";

const parseInputs = (news: Record<string, unknown>) => checkpointInputsSchema.parse(news);
const parseOutputs = (olds: Record<string, unknown>) => checkpointOutputsSchema.parse(olds);

/** The field a refusal is about: the VM named, or a type the VM cannot take; else the checkpoint as a whole. */
function fieldAtFault(inputs: CheckpointInputs, refusal: HostError): string {
    if (refusal.code === "VmNotFound" || refusal.code === "AmbiguousVmName") return inputs.vmId !== undefined ? "vmId" : "vmName";
    if ((refusal.code === "UnsupportedByHost" || refusal.code === "ProductionUnavailable") && inputs.type !== undefined) return "type";
    return "";
}

/** The Checkpoint lifecycle, as Pulumi's dynamic provider interface, on the hosts `hostFor` gives. */
export function checkpointProviderOn(
    hostFor: HostFor,
    preview: PreviewMemory,
    warnOnResource: WarnOnResource,
    merges: MergeWatch,
): pulumi.dynamic.ResourceProvider<Record<string, unknown>, CheckpointOutputs> {
    return {
        async check(olds, given) {
            // In preview (and only there) a new checkpoint is predicted against the host: see shared/preview.
            const { news, preview: inPreview, dependsOn } = takeHiddenInputs(given);
            preview.recordCheck(typeof news.resourceUrn === "string" ? news.resourceUrn : undefined, dependsOn, inPreview);
            const checked = checkInputs(checkpointInputsSchema, checkpointInputsSchema.shape, news);
            if (inPreview && "inputs" in checked && Object.keys(olds).length === 0 && allKnown(news)) {
                const inputs = parseInputs(news);
                const failures = await predictedFailures(
                    () =>
                        predictCheckpoint(hostFor(inputs.host), preview, inputs, warnOnResource).catch((e: unknown) => {
                            throw asPrediction(e);
                        }),
                    (e) => (isHostError(e) ? fieldAtFault(inputs, e) : undefined),
                );
                if (failures.length > 0) return { failures };
            }
            return checked;
        },

        async diff(id, olds, news) {
            const previous = parseOutputs(olds);
            const inputs = parseInputs(news);
            const d = diffCheckpoint(id, previous, inputs);
            // A rollback to a checkpoint removed outside Pulumi fails here, before anything changes, in preview and `up`.
            if (d.restoreRequested) {
                await refuseLostRollback(hostFor(previous.host), preview.inPreview(inputs.resourceUrn) ? preview : undefined, id, previous, inputs);
            }
            if (d.gone) await warnOnResource(inputs.resourceUrn, retakenAfterRemoval(id, previous));
            return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
        },

        async create(news) {
            const inputs = parseInputs(news);
            const { id, outs } = await createCheckpoint(hostFor(inputs.host), inputs, warnOnResource, merges, preview.dependsOnOf(inputs.resourceUrn));
            return { id, outs: withoutUndefined(outs) };
        },

        async read(id, props) {
            const olds = parseOutputs(props ?? {});
            const outs = await readCheckpoint(hostFor(olds.host), id, olds, warnOnResource);
            // Inputs as the host has them: a checkpoint renamed out of band shows as `~ name` in the next preview.
            // (Pulumi types ReadResult.inputs as the outputs' type; they are inputs.)
            if (!outs) return {};
            const live = withoutUndefined(liveCheckpointDeclaration(outs));
            return { id, props: withoutUndefined(outs), ...inputsIfChanged<CheckpointOutputs>(live, withoutUndefined(liveCheckpointDeclaration(olds))) };
        },

        async update(id, olds, news) {
            const previous = parseOutputs(olds);
            return { outs: withoutUndefined(await updateCheckpoint(hostFor(previous.host), id, previous, parseInputs(news))) };
        },

        async delete(id, props) {
            const olds = parseOutputs(props);
            await deleteCheckpoint(hostFor(olds.host), id, olds, merges);
        },
    };
}
