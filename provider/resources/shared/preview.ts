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

/** The inputs without the flag, and whether this check runs in a preview. */
export function takePreviewFlag(news: Record<string, unknown>): { news: Record<string, unknown>; preview: boolean } {
    if (!(PREVIEW_FLAG in news)) return { news, preview: false };
    const { [PREVIEW_FLAG]: flag, ...rest } = news;
    return { news: rest, preview: flag === true };
}

/** Whether every input a prediction needs is known (none is the engine's unknown sentinel). */
export function allKnown(news: Record<string, unknown>): boolean {
    return !Object.values(news).some(isUnknown);
}

interface PreviewState {
    /** One read per VM: by "id:<id>" or "name:<name>" per host. */
    reads: Map<string, Promise<VmWithCheckpoints>>;
    /** The checkpoint type a policy of this preview declares, per VM id. */
    policies: Map<string, CheckpointType>;
    /** Checkpoints this preview creates, per VM id. */
    creates: Map<string, number>;
}

const refKey = (ref: VmRef) => ("id" in ref ? `id:${ref.id.toLowerCase()}` : `name:${ordinalKey(ref.name)}`);

/** What one preview has learned so far, per host. The composition root keeps one per process. */
export class PreviewMemory {
    private readonly states = new Map<string, PreviewState>();

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
    declarePolicy(host: HyperVHost, vmId: string, type: CheckpointType | undefined): void {
        const { policies } = this.stateOf(host);
        if (type === undefined) policies.delete(vmId.toLowerCase());
        else policies.set(vmId.toLowerCase(), type);
    }

    /** The type a policy of this preview declares for the VM, if one ran. */
    declaredPolicy(host: HyperVHost, vmId: string): CheckpointType | undefined {
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
