import type { HyperVHost, VmRef, VmWithCheckpoints } from "../../host";
import { learnVm } from "./locks";

/*
 * Reads of a VM with its checkpoints, shared. A refresh asks for every checkpoint of a VM at once
 * (the engine reads resources in parallel): reads of one VM that overlap share one host query,
 * so 50 checkpoints cost one listing, not 50. A mutation through this process ends the sharing:
 * a read asked for after it goes to the host again. Out-of-band changes are seen by the next
 * read that does not overlap one already in flight.
 */

interface VmState {
    inFlight?: Promise<VmWithCheckpoints>;
    /** Sequence number of the last mutation of the VM through this process. */
    mutatedAt: number;
}

const vmsByHost = new WeakMap<HyperVHost, Map<string, VmState>>();
let sequence = 0;

function stateOf(host: HyperVHost, vmId: string): VmState {
    let vms = vmsByHost.get(host);
    if (!vms) {
        vms = new Map();
        vmsByHost.set(host, vms);
    }
    const key = vmId.toLowerCase();
    let state = vms.get(key);
    if (!state) {
        state = { mutatedAt: 0 };
        vms.set(key, state);
    }
    return state;
}

/** A listing and the moment it was asked for, to tell later whether a mutation came after it. */
export interface VmRead {
    listing: VmWithCheckpoints;
    askedAt: number;
}

/** The VM (by id or name) with its checkpoints; overlapping reads of one VM by id share a query. */
export async function readVm(host: HyperVHost, ref: VmRef): Promise<VmRead> {
    const askedAt = sequence;
    if (!("id" in ref)) {
        const listing = await host.getVmWithCheckpoints(ref);
        learnVm(host, listing.vm);
        return { listing, askedAt };
    }
    const state = stateOf(host, ref.id);
    if (!state.inFlight) {
        const inFlight = host.getVmWithCheckpoints(ref);
        state.inFlight = inFlight;
        const done = () => {
            if (state.inFlight === inFlight) delete state.inFlight;
        };
        inFlight.then(done, done);
    }
    return { listing: await state.inFlight, askedAt };
}

/**
 * The listing again, for use under the VM's lock: the same one when no mutation of the VM went
 * through this process since it was asked for (nothing could have changed it here), else a new read.
 */
export async function currentListing(host: HyperVHost, read: VmRead): Promise<VmWithCheckpoints> {
    const vmId = read.listing.vm.id;
    if (stateOf(host, vmId).mutatedAt <= read.askedAt) return read.listing;
    return (await readVm(host, { id: vmId })).listing;
}

/**
 * Runs a mutation of the VM; reads asked for afterwards do not share one from before. A VM named
 * by name is known by id only from the mutation's result (`vmOf`); when it fails before that,
 * every VM of the host counts as mutated.
 */
export async function mutateVm<T>(host: HyperVHost, ref: VmRef, mutation: () => Promise<T>, vmOf?: (result: T) => { id: string; name: string }): Promise<T> {
    let vmId = "id" in ref ? ref.id : undefined;
    try {
        const result = await mutation();
        if (vmOf) {
            const vm = vmOf(result);
            learnVm(host, vm);
            vmId = vm.id;
        }
        return result;
    } finally {
        const vms = vmId !== undefined ? [stateOf(host, vmId)] : [...(vmsByHost.get(host)?.values() ?? [])];
        sequence++;
        for (const state of vms) {
            state.mutatedAt = sequence;
            delete state.inFlight;
        }
    }
}
