import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, compact } from "../shared/check";
import { hostFor } from "../shared/runtime";
import { diffGroup } from "./diff";
import { createGroup, deleteGroup, liveGroupDeclaration, readGroup, updateGroup } from "./lifecycle";
import { groupInputsSchema, groupOutputsSchema, type GroupOutputs } from "./schema";

const parseInputs = (news: Record<string, unknown>) => groupInputsSchema.parse(news);
const parseOutputs = (olds: Record<string, unknown>) => groupOutputsSchema.parse(olds);

/** Deep compaction: members and declared VMs are objects whose unset fields must go too. */
function compactGroup(outs: GroupOutputs): GroupOutputs {
    return compact({ ...outs, vms: outs.vms.map((m) => compact(m)), members: outs.members.map((m) => compact(m)) });
}

/** The CheckpointGroup lifecycle, as Pulumi's dynamic provider interface. */
export const checkpointGroupProvider: pulumi.dynamic.ResourceProvider<Record<string, unknown>, GroupOutputs> = {
    async check(_olds, news) {
        return checkInputs(groupInputsSchema, groupInputsSchema.shape, news);
    },

    async diff(_id, olds, news) {
        const d = diffGroup(parseOutputs(olds), parseInputs(news));
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
    },

    async create(news) {
        const { id, outs } = await createGroup(hostFor, parseInputs(news));
        return { id, outs: compactGroup(outs) };
    },

    async read(id, props) {
        const outs = await readGroup(hostFor, parseOutputs(props ?? {}));
        // (Pulumi types ReadResult.inputs as the outputs' type; they are inputs.)
        return outs ? { id, props: compactGroup(outs), inputs: compact({ ...liveGroupDeclaration(outs), vms: outs.vms.map((m) => compact(m)) }) as unknown as GroupOutputs } : {};
    },

    async update(_id, olds, news) {
        return { outs: compactGroup(await updateGroup(hostFor, parseOutputs(olds), parseInputs(news))) };
    },

    async delete(_id, props) {
        await deleteGroup(hostFor, parseOutputs(props));
    },
};
