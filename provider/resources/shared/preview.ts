import {
    HostError,
    isHostError,
    ordinalKey,
    permanentProductionBlocker,
    type CheckpointType,
    type HyperVHost,
    type Vm,
    type VmRef,
    type VmWithCheckpoints,
} from "../../host";
import { isUnknown } from "./check";

/*
 * Preview's predictions. The SDK resources add one hidden input, PREVIEW_FLAG, set to
 * `pulumi.runtime.isDryRun()`: the dynamic provider's `check` runs in preview and in `up` alike and
 * is not told which. Check removes the flag from the inputs it returns (it never reaches state or
 * diffs) and, in preview only, reads the host to fail with the error `up` would give for what is
 * certain. In `up` it reads nothing: every operation stays one round trip.
 *
 * The provider process lives for one preview, so what it learns here is kept for the process:
 * one read per VM shared by all resources of that VM, the policies declared per VM, and the
 * checkpoints this preview will add per VM.
 */

export const PREVIEW_FLAG = "__hvcpPreview";
/**
 * The URNs of the resources a resource's `dependsOn` names, added by the SDK beside the flag: check
 * cannot see the engine's dependencies, and a Checkpoint that depends on the policy disabling its
 * VM is refused for certain (that policy applies first), not only perhaps.
 */
export const DEPENDS_ON = "__hvcpDependsOn";

/** The inputs without the SDK's hidden ones, whether this check runs in a preview, and the URNs the resource dependsOn. */
export function takeHiddenInputs(news: Record<string, unknown>): { news: Record<string, unknown>; preview: boolean; dependsOn: string[] } {
    const { [PREVIEW_FLAG]: flag, [DEPENDS_ON]: dependsOn, ...rest } = news;
    return { news: rest, preview: flag === true, dependsOn: Array.isArray(dependsOn) ? dependsOn.filter((u): u is string => typeof u === "string") : [] };
}

/** Whether every input a prediction needs is known (none is the engine's unknown sentinel). */
export function allKnown(news: Record<string, unknown>): boolean {
    return !Object.values(news).some(isUnknown);
}

/** A policy of this preview: the type it declares, and its resource's URN (undefined: the SDK gave none). */
export interface DeclaredPolicy {
    type: CheckpointType;
    urn: string | undefined;
}

interface PreviewState {
    /** One read per VM: by "id:<id>" or "name:<name>" per host. */
    reads: Map<string, Promise<VmWithCheckpoints>>;
    /** The checkpoint type a policy of this preview declares, per VM id. */
    policies: Map<string, DeclaredPolicy>;
    /** Checkpoints this preview creates, per VM id. */
    creates: Map<string, number>;
}

const refKey = (ref: VmRef) => ("id" in ref ? `id:${ref.id.toLowerCase()}` : `name:${ordinalKey(ref.name)}`);

/** What one preview has learned so far, per host. The composition root keeps one per process. */
export class PreviewMemory {
    private readonly states = new Map<string, PreviewState>();
    /** What each resource dependsOn, by its URN, as its last check was told (preview and `up` alike). */
    private readonly dependencies = new Map<string, string[]>();
    /** Whether each resource's last check ran in a preview: diff is not told, and only preview reads there. */
    private readonly previewing = new Map<string, boolean>();

    private stateOf(host: HyperVHost): PreviewState {
        let state = this.states.get(host.displayName);
        if (!state) {
            state = { reads: new Map(), policies: new Map(), creates: new Map() };
            this.states.set(host.displayName, state);
        }
        return state;
    }

    /** For tests and benchmarks that run several previews in one process. */
    forget(): void {
        this.states.clear();
        this.dependencies.clear();
        this.previewing.clear();
    }

    /** Records what the resource `urn`'s check was told (check runs before the diff and create it explains, in the same process). */
    recordCheck(urn: string | undefined, dependsOn: string[], preview: boolean): void {
        if (urn === undefined) return;
        this.dependencies.set(urn, dependsOn);
        this.previewing.set(urn, preview);
    }

    /** Whether the resource `urn` is being previewed (its last check ran in a preview). */
    inPreview(urn: string | undefined): boolean {
        return urn !== undefined && this.previewing.get(urn) === true;
    }

    /** The URNs the resource `urn` dependsOn, as its check recorded them. */
    dependsOnOf(urn: string | undefined): string[] {
        return (urn !== undefined ? this.dependencies.get(urn) : undefined) ?? [];
    }

    /**
     * The VM with its checkpoints, read once per preview: every resource of the VM shares the read
     * (a VM named by name is also known by its id afterwards). Read-only.
     */
    read(host: HyperVHost, ref: VmRef): Promise<VmWithCheckpoints> {
        const { reads } = this.stateOf(host);
        const key = refKey(ref);
        let read = reads.get(key);
        if (!read) {
            read = host.getVmWithCheckpoints(ref);
            reads.set(key, read);
            read.then(
                (listing) => {
                    const byId = refKey({ id: listing.vm.id });
                    if (!reads.has(byId)) reads.set(byId, read!);
                },
                () => undefined,
            );
        }
        return read;
    }

    /** Records the checkpoint type a policy of this preview declares for a VM (undefined: left as is). */
    declarePolicy(host: HyperVHost, vmId: string, type: CheckpointType | undefined, urn: string | undefined): void {
        const { policies } = this.stateOf(host);
        if (type === undefined) policies.delete(vmId.toLowerCase());
        else policies.set(vmId.toLowerCase(), { type, urn });
    }

    /** The type a policy of this preview declares for the VM, if one ran. */
    declaredPolicy(host: HyperVHost, vmId: string): CheckpointType | undefined {
        return this.stateOf(host).policies.get(vmId.toLowerCase())?.type;
    }

    /** The policy of this preview that declares the VM's type, if one ran. */
    declaringPolicy(host: HyperVHost, vmId: string): DeclaredPolicy | undefined {
        return this.stateOf(host).policies.get(vmId.toLowerCase());
    }

    /** How many checkpoints this preview has already planned to take on the VM. */
    plannedCreates(host: HyperVHost, vmId: string): number {
        return this.stateOf(host).creates.get(vmId.toLowerCase()) ?? 0;
    }

    planCreate(host: HyperVHost, vmId: string): void {
        const { creates } = this.stateOf(host);
        creates.set(vmId.toLowerCase(), (creates.get(vmId.toLowerCase()) ?? 0) + 1);
    }
}

/**
 * A failure preview predicts, in the words `up` fails with, framed as what `up` would do: preview
 * attempted nothing ("take checkpoint would fail on host …").
 */
export function asPrediction(e: unknown): unknown {
    if (!isHostError(e) || e.predicted) return e;
    return new HostError(e.code, e.detail, e.context, { hint: e.hint, cause: e.cause ?? e, predicted: true });
}

/**
 * A preview read's failure as `up` reports it: `up` meets a missing VM or an ambiguous name in its
 * one call (`operation`), not in a read, so the same host words are framed as that operation.
 */
export function asOperation(e: unknown, ref: VmRef, operation: string): unknown {
    if (!isHostError(e, "VmNotFound") && !isHostError(e, "AmbiguousVmName")) return e;
    const context = { ...e.context, operation, ...("id" in ref ? { vmId: ref.id } : {}) };
    return new HostError(e.code, e.detail, context, { hint: e.hint, cause: e });
}

/**
 * Whether a take refusal explained from the VM as read now may not hold when `up` runs, so that
 * preview warns instead of failing: a VM in transition, or a production checkpoint that only the
 * moment blocks (the VM's state, a guest not answering yet), not its configuration. With
 * `stateAtTakeKnown` (a group pauses the VM for its checkpoint), the state is certain too.
 */
export function onlyTheMomentDecides(refusal: unknown, vm: Vm, stateAtTakeKnown = false): boolean {
    if (isHostError(refusal, "InvalidVmState")) return true;
    return isHostError(refusal, "ProductionUnavailable") && permanentProductionBlocker(vm) === null && !stateAtTakeKnown;
}
