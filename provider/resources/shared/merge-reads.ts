import { HostError, ordinalKey, type HyperVHost, type Vm, type VmRef } from "../../host";

/*
 * Deletes waiting for merges on the same VM share their reads of it. Each waiting delete reads its
 * VM once per poll interval until Hyper-V's merge is over; when a VM loses several checkpoints in
 * one `pulumi destroy`, every delete used to poll alone, each read a Get-VM and a merge-job query
 * on the host. A read serves every waiter whose removal had returned before the read started: an
 * older read may not yet show the merge that removal began, so a waiter never takes one. Each read
 * is numbered as it starts; a waiter marks the number when it begins and accepts only reads
 * numbered after its mark.
 */

/** What a wait sees: the VM (undefined: gone) and the number of the read that saw it. */
export interface MergeObservation {
    seq: number;
    vm: Vm | undefined;
}

interface VmReads {
    /** Reads started so far. */
    started: number;
    inFlight?: { seq: number; read: Promise<MergeObservation> };
    latest?: MergeObservation;
}

const byHost = new WeakMap<HyperVHost, Map<string, VmReads>>();

const keyOf = (ref: VmRef) => ("id" in ref ? `id:${ref.id.toLowerCase()}` : `name:${ordinalKey(ref.name)}`);

/** The shared reads of one VM on one host. */
export function mergeReads(host: HyperVHost, vm: VmRef): { mark(): number; observe(after: number): Promise<MergeObservation> } {
    let reads = byHost.get(host);
    if (!reads) byHost.set(host, (reads = new Map()));
    const key = keyOf(vm);
    let entry = reads.get(key);
    if (!entry) reads.set(key, (entry = { started: 0 }));
    const own = entry;
    return {
        /** The number after which reads show this waiter's removal: call it once the removal has returned. */
        mark: () => own.started,
        /** A read numbered after `after`: the latest one done, the one in flight, or a new one. */
        observe(after: number): Promise<MergeObservation> {
            if (own.latest && own.latest.seq > after) return Promise.resolve(own.latest);
            if (own.inFlight && own.inFlight.seq > after) return own.inFlight.read;
            const seq = ++own.started;
            const read = host
                .getVm(vm, { mergeOutcome: true })
                .catch((e: unknown) => {
                    if (HostError.is(e, "VmNotFound")) return undefined;
                    throw e;
                })
                .then((found) => {
                    const observation = { seq, vm: found };
                    if (!own.latest || own.latest.seq < seq) own.latest = observation;
                    return observation;
                })
                .finally(() => {
                    if (own.inFlight?.seq === seq) own.inFlight = undefined;
                });
            own.inFlight = { seq, read };
            return read;
        },
    };
}
