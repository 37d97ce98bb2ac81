import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, compact, UNKNOWN } from "../shared/check";
import { allKnown, takePreviewFlag } from "../shared/preview";
import { hostFor } from "../shared/runtime";
import { diffGroup } from "./diff";
import { createGroup, deleteGroup, liveGroupDeclaration, readGroup, updateGroup } from "./lifecycle";
import { predictGroup } from "./predict";
import { groupInputsSchema, groupOutputsSchema, type GroupOutputs } from "./schema";

const parseInputs = (news: Record<string, unknown>) => groupInputsSchema.parse(news);
const parseOutputs = (olds: Record<string, unknown>) => groupOutputsSchema.parse(olds);

/** Deep compaction: members and declared VMs are objects whose unset fields must go too. */
function compactGroup(outs: GroupOutputs): GroupOutputs {
    return compact({ ...outs, vms: outs.vms.map((m) => compact(m)), members: outs.members.map((m) => compact(m)) });
}

/** The CheckpointGroup lifecycle, as Pulumi's dynamic provider interface. */
export const checkpointGroupProvider: pulumi.dynamic.ResourceProvider<Record<string, unknown>, GroupOutputs> = {
    async check(olds, given) {
        // In preview (and only there) a new group is predicted against the host: see shared/preview.
        const { news, preview } = takePreviewFlag(given);
        // A value not known yet inside the list (a VM name from another resource's output) makes
        // the whole list unknown to the check: it is judged again once every value is known.
        const vmsUnknown = JSON.stringify(news.vms ?? null).includes(UNKNOWN);
        const checked = checkInputs(groupInputsSchema, groupInputsSchema.shape, vmsUnknown ? { ...news, vms: UNKNOWN } : news);
        if (!("inputs" in checked)) return checked;
        if (preview && Object.keys(olds).length === 0 && allKnown(news) && !vmsUnknown) {
            await predictGroup(hostFor, parseInputs(news));
        }
        return { inputs: news };
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
