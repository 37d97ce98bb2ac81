import type * as pulumi from "@pulumi/pulumi";
import type { MergeWatch } from "../shared/merge-wait";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { HostFor } from "../../host";
import { withoutUndefined } from "../../shared/objects";
import { checkInputs, predictedFailures } from "../shared/check";
import type { WarnOnResource } from "../shared/resource-warnings";
import { inputsIfChanged } from "../shared/read-inputs";
import { allKnown, takeHiddenInputs, type PreviewMemory } from "../shared/preview";
import { diffGroup } from "./diff";
import { createGroup, deleteGroup, liveGroupDeclaration, readGroup, refuseLostGroupRollback, updateGroup } from "./lifecycle";
import { isCheckpointGroupError } from "./errors";
import { predictGroup } from "./predict";
import { groupInputsSchema, groupOutputsSchema, type GroupOutputs } from "./schema";

const parseInputs = (news: Record<string, unknown>) => groupInputsSchema.parse(news);
const parseOutputs = (olds: Record<string, unknown>) => groupOutputsSchema.parse(olds);

/** Deep compaction: members and declared VMs are objects whose unset fields must go too. */
function compactGroup(outs: GroupOutputs): GroupOutputs {
    return withoutUndefined({ ...outs, vms: outs.vms.map((m) => withoutUndefined(m)), members: outs.members.map((m) => withoutUndefined(m)) });
}

/** The CheckpointGroup lifecycle, as Pulumi's dynamic provider interface, on the hosts `hostFor` gives. */
export function checkpointGroupProviderOn(
    hostFor: HostFor,
    preview: PreviewMemory,
    warnOnResource: WarnOnResource,
    merges: MergeWatch,
): pulumi.dynamic.ResourceProvider<Record<string, unknown>, GroupOutputs> {
    return {
        async check(olds, given) {
            // In preview (and only there) a new group is predicted against the host: see shared/preview.
            const { news, preview: inPreview, dependsOn } = takeHiddenInputs(given);
            preview.recordCheck(typeof news.resourceUrn === "string" ? news.resourceUrn : undefined, dependsOn, inPreview);
            // A value not known yet inside the list (a VM name from another resource's output) makes
            // the whole list unknown to the check: it is judged again once every value is known.
            const vmsUnknown = JSON.stringify(news.vms ?? null).includes(unknownValue);
            const checked = checkInputs(groupInputsSchema, groupInputsSchema.shape, vmsUnknown ? { ...news, vms: unknownValue } : news);
            if (!("inputs" in checked)) return checked;
            if (inPreview && Object.keys(olds).length === 0 && allKnown(news) && !vmsUnknown) {
                const failures = await predictedFailures(
                    () => predictGroup(hostFor, preview, parseInputs(news), warnOnResource),
                    (e) => (isCheckpointGroupError(e) ? "vms" : undefined),
                );
                if (failures.length > 0) return { failures };
            }
            return { inputs: news };
        },

        async diff(_id, olds, news) {
            const previous = parseOutputs(olds);
            const inputs = parseInputs(news);
            const previewRead = preview.inPreview(inputs.resourceUrn)
                ? (host: ReturnType<typeof hostFor>, vmId: string) => preview.read(host, { id: vmId }).catch(() => undefined)
                : undefined;
            await refuseLostGroupRollback(hostFor, previous, inputs, previewRead);
            const d = diffGroup(previous, inputs);
            return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
        },

        async create(news) {
            const { id, outs } = await createGroup(hostFor, parseInputs(news), warnOnResource, { merges });
            return { id, outs: compactGroup(outs) };
        },

        async read(id, props) {
            const olds = parseOutputs(props ?? {});
            const outs = await readGroup(hostFor, olds, warnOnResource);
            if (!outs) return {};
            const declaration = (o: GroupOutputs) => withoutUndefined({ ...liveGroupDeclaration(o), vms: o.vms.map((m) => withoutUndefined(m)) });
            // (Pulumi types ReadResult.inputs as the outputs' type; they are inputs.)
            return { id, props: compactGroup(outs), ...inputsIfChanged<GroupOutputs>(declaration(outs), declaration(olds)) };
        },

        async update(_id, olds, news) {
            return { outs: compactGroup(await updateGroup(hostFor, parseOutputs(olds), parseInputs(news))) };
        },

        async delete(_id, props) {
            await deleteGroup(hostFor, parseOutputs(props), merges);
        },
    };
}
