import type * as pulumi from "@pulumi/pulumi";
import { checkpointGroupProvider, checkpointProvider, policyProvider } from "../root";
import { PREVIEW_FLAG } from "../resources/shared/preview";
import { checkpointNameOr, groupNameOr } from "../resources/shared/default-name";
import { NATIVE_TYPES, type NativeType } from "./tokens";

/*
 * Each native type served by the composition root's provider of that resource: the very objects
 * the dynamic provider calls, so every rule has one home. What differs is only how the engine
 * talks: it names the resource (URN) and says whether it previews in its requests, so the plugin
 * hands both to the resource code as the SDK's hidden inputs would, and keeps them out of what it
 * returns (they never reach state).
 */

type Provider = pulumi.dynamic.ResourceProvider;
type Props = Record<string, unknown>;

export interface Face {
    provider: Provider;
    /** The `name` a declaration without one gets from the resource's name (the SDK's rule). */
    withDefaults(inputs: Props, resourceName: string): Props;
    /** The id the resource code knows, from the engine's id (see CHECKPOINT_IMPORT_ID). */
    resourceId(id: string): string;
}

/**
 * A checkpoint's import id names its VM as well (`<vm name or id>/<checkpoint id>`): a checkpoint
 * is found through its VM. The resource's own id is the checkpoint's GUID, after the last "/".
 */
const afterSlash = (id: string) => id.slice(id.lastIndexOf("/") + 1);

const FACES: Record<NativeType, Face> = {
    [NATIVE_TYPES.VmCheckpointPolicy]: { provider: policyProvider, withDefaults: (inputs) => inputs, resourceId: (id) => id },
    [NATIVE_TYPES.Checkpoint]: { provider: checkpointProvider, withDefaults: checkpointNameOr, resourceId: afterSlash },
    [NATIVE_TYPES.CheckpointGroup]: { provider: checkpointGroupProvider, withDefaults: groupNameOr, resourceId: (id) => id },
};

export function faceOf(type: string): Face {
    const face = (FACES as Record<string, Face>)[type];
    if (!face) throw new Error(`hyperv has no resource type ${type}: the types are ${Object.keys(FACES).join(", ")}`);
    return face;
}

/** The type of a URN (urn:pulumi:stack::project::[parent$]type::name). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** Inputs as the resource code takes them: with the URN the engine gave, and in a preview the preview flag. */
export function withEngineContext(props: Props, urn: string, preview = false): Props {
    return { ...props, resourceUrn: urn, ...(preview ? { [PREVIEW_FLAG]: true } : {}) };
}

/** What the plugin returns to the engine: without the URN, which the engine already knows. */
export function withoutEngineContext(props: Props): Props {
    const { resourceUrn: _urn, ...rest } = props;
    return rest;
}
