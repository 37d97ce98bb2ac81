import type * as pulumi from "@pulumi/pulumi";
import type { HostFor } from "../../host";
import { withoutUndefined } from "../../shared/objects";
import { checkInputs } from "../shared/check";
import { inputsIfChanged } from "../shared/read-inputs";
import { diffCheckpoint } from "./diff";
import { allKnown, asPrediction, takeHiddenInputs, type PreviewMemory } from "../shared/preview";
import {
    createCheckpoint,
    predictCheckpoint,
    deleteCheckpoint,
    liveCheckpointDeclaration,
    readCheckpoint,
    refuseLostRollback,
    updateCheckpoint,
} from "./lifecycle";
import { retakenAfterRemoval } from "./removed-by-hand";
import { warnOnResource } from "../shared/resource-warnings";
import { checkpointInputsSchema, checkpointOutputsSchema, type CheckpointOutputs } from "./schema";

const parseInputs = (news: Record<string, unknown>) => checkpointInputsSchema.parse(news);
const parseOutputs = (olds: Record<string, unknown>) => checkpointOutputsSchema.parse(olds);

/** The Checkpoint lifecycle, as Pulumi's dynamic provider interface, on the hosts `hostFor` gives. */
export function checkpointProviderOn(hostFor: HostFor, preview: PreviewMemory): pulumi.dynamic.ResourceProvider<Record<string, unknown>, CheckpointOutputs> {
    return {
        async check(olds, given) {
            // In preview (and only there) a new checkpoint is predicted against the host: see shared/preview.
            const { news, preview: inPreview, dependsOn } = takeHiddenInputs(given);
            preview.recordCheck(typeof news.resourceUrn === "string" ? news.resourceUrn : undefined, dependsOn, inPreview);
            const checked = checkInputs(checkpointInputsSchema, checkpointInputsSchema.shape, news);
            if (inPreview && "inputs" in checked && Object.keys(olds).length === 0 && allKnown(news)) {
                const inputs = parseInputs(news);
                await predictCheckpoint(hostFor(inputs.host), preview, inputs).catch((e: unknown) => {
                    throw asPrediction(e);
                });
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
            const { id, outs } = await createCheckpoint(hostFor(inputs.host), inputs, preview.dependsOnOf(inputs.resourceUrn));
            return { id, outs: withoutUndefined(outs) };
        },

        async read(id, props) {
            const olds = parseOutputs(props ?? {});
            const outs = await readCheckpoint(hostFor(olds.host), id, olds);
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
            await deleteCheckpoint(hostFor(olds.host), id, olds);
        },
    };
}
