import type * as pulumi from "@pulumi/pulumi";
import { isHostError, type HostError, type HostFor } from "../../host";
import { withoutUndefined } from "../../shared/objects";
import { checkInputs, predictedFailures } from "../shared/check";
import { inputsIfChanged } from "../shared/read-inputs";
import type { WarnOnResource } from "../shared/resource-warnings";
import { diffPolicy } from "./diff";
import { allKnown, asPrediction, takeHiddenInputs, type PreviewMemory } from "../shared/preview";
import { applyPolicy, predictPolicy, liveDeclaration, readPolicy, restorePolicy } from "./lifecycle";
import { policyInputsSchema, policyOutputsSchema, type PolicyInputs, type PolicyOutputs } from "./schema";

function parseInputs(news: Record<string, unknown>): PolicyInputs {
    return policyInputsSchema.parse(news);
}

function parseOutputs(olds: Record<string, unknown>): PolicyOutputs {
    return policyOutputsSchema.parse(olds);
}

/** The field a refusal is about, where one is; else the policy as a whole. */
function fieldAtFault(inputs: PolicyInputs, refusal: HostError): string {
    if (refusal.code === "VmNotFound" || refusal.code === "AmbiguousVmName") return inputs.vmId !== undefined ? "vmId" : "vmName";
    if (refusal.code === "ProductionUnavailable") return "fallbackToStandard";
    if (refusal.code === "BackupServiceMissing") return "ensureBackupIntegration";
    if (refusal.code === "LocalStorageOnCluster") return "fileLocation";
    return "";
}

/** The VmCheckpointPolicy lifecycle, as Pulumi's dynamic provider interface, on the hosts `hostFor` gives. */
export function policyProviderOn(
    hostFor: HostFor,
    preview: PreviewMemory,
    warnOnResource: WarnOnResource,
): pulumi.dynamic.ResourceProvider<Record<string, unknown>, PolicyOutputs> {
    return {
        async check(olds, given) {
            // In preview (and only there) the declaration is predicted against the host: see shared/preview.
            const { news, preview: inPreview, dependsOn } = takeHiddenInputs(given);
            preview.recordCheck(typeof news.resourceUrn === "string" ? news.resourceUrn : undefined, dependsOn, inPreview);
            const checked = checkInputs(policyInputsSchema, policyInputsSchema.shape, news);
            if (inPreview && "inputs" in checked && allKnown(news)) {
                const inputs = parseInputs(news);
                const failures = await predictedFailures(
                    () =>
                        predictPolicy(hostFor(inputs.host), preview, inputs, Object.keys(olds).length > 0, warnOnResource).catch((e: unknown) => {
                            throw asPrediction(e);
                        }),
                    (e) => (isHostError(e) ? fieldAtFault(inputs, e) : undefined),
                );
                if (failures.length > 0) return { failures };
            }
            return checked;
        },

        async diff(_id, olds, news) {
            const d = diffPolicy(parseOutputs(olds), parseInputs(news));
            return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
        },

        async create(news) {
            const inputs = parseInputs(news);
            const outs = await applyPolicy(hostFor(inputs.host), inputs);
            if (outs.warning) await warnOnResource(inputs.resourceUrn, outs.warning);
            return { id: outs.vmId, outs: withoutUndefined(outs) };
        },

        async read(id, props) {
            const olds = parseOutputs(props ?? {});
            const outs = await readPolicy(hostFor(olds.host), olds);
            // Inputs as the host has them: the next preview names what drifted (see liveDeclaration).
            // (Pulumi types ReadResult.inputs as the outputs' type; they are inputs.)
            if (!outs) return {};
            const live = withoutUndefined(liveDeclaration(outs));
            return { id, props: withoutUndefined(outs), ...inputsIfChanged<PolicyOutputs>(live, withoutUndefined(liveDeclaration(olds))) };
        },

        async update(_id, olds, news) {
            const previous = parseOutputs(olds);
            const inputs = parseInputs(news);
            const outs = await applyPolicy(hostFor(inputs.host), inputs, previous);
            if (outs.warning) await warnOnResource(inputs.resourceUrn, outs.warning);
            return { outs: withoutUndefined(outs) };
        },

        async delete(_id, props) {
            const olds = parseOutputs(props);
            const notRestored = await restorePolicy(hostFor(olds.host), olds);
            for (const message of notRestored) await warnOnResource(olds.resourceUrn, `VM "${olds.vmName}" (${olds.vmId}): ${message}`);
        },
    };
}
