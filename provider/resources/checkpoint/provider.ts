import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checkFailures, compact, isUnknown } from "../shared/check";
import { hostFor } from "../shared/runtime";
import { diffCheckpoint } from "./diff";
import { createCheckpoint, deleteCheckpoint, readCheckpoint, updateCheckpoint } from "./lifecycle";
import { checkpointInputsSchema, checkpointOutputsSchema, type CheckpointOutputs } from "./schema";

const parseInputs = (news: Record<string, unknown>) => checkpointInputsSchema.parse(news);
const parseOutputs = (olds: Record<string, unknown>) => checkpointOutputsSchema.parse(olds);

/**
 * The field rules without the cross-field ones (exactly one VM, a name unless adopting): those
 * cannot be judged while a field they read is unknown (preview). The engine checks again with
 * every value known before it creates or updates.
 */
const fieldRules = z.object(checkpointInputsSchema.shape);

/** The Checkpoint lifecycle, as Pulumi's dynamic provider interface. */
export const checkpointProvider: pulumi.dynamic.ResourceProvider<Record<string, unknown>, CheckpointOutputs> = {
    async check(_olds, news) {
        const known = Object.fromEntries(Object.entries(news).filter(([, v]) => !isUnknown(v)));
        const unknownFields = new Set(Object.keys(news).filter((k) => isUnknown(news[k])));
        const parsed = (unknownFields.size > 0 ? fieldRules : checkpointInputsSchema).safeParse(known);
        if (!parsed.success) {
            const failures = checkFailures(parsed.error).filter((f) => !unknownFields.has(f.property.split(".")[0]!));
            if (failures.length > 0) return { failures };
        }
        return { inputs: news };
    },

    async diff(id, olds, news) {
        const d = diffCheckpoint(id, parseOutputs(olds), parseInputs(news));
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
    },

    async create(news) {
        const inputs = parseInputs(news);
        const { id, outs } = await createCheckpoint(hostFor(inputs.host), inputs);
        return { id, outs: compact(outs) };
    },

    async read(id, props) {
        const olds = parseOutputs(props ?? {});
        const outs = await readCheckpoint(hostFor(olds.host), id, olds);
        return outs ? { id, props: compact(outs) } : {};
    },

    async update(id, olds, news) {
        const previous = parseOutputs(olds);
        return { outs: compact(await updateCheckpoint(hostFor(previous.host), id, previous, parseInputs(news))) };
    },

    async delete(id, props) {
        const olds = parseOutputs(props);
        await deleteCheckpoint(hostFor(olds.host), id, olds);
    },
};
