import type { HyperVHost } from "./port";
import type { VmReadOptions, VmRef, VmWithCheckpoints } from "./model";
import { ordinalKey } from "./text";

/*
 * The one place that orders work per VM inside a process, for any HyperVHost. Pulumi runs
 * resources in parallel and Hyper-V refuses a second operation on a VM while one runs, so the
 * mutations of one VM go one after another, in the order they were asked for; different VMs go
 * side by side (as far as the host lets them). Hosts serialise across processes themselves.
 *
 * Reads of one VM (by id) that overlap share one host query: a refresh asks for every checkpoint
 * of a VM at once, and 50 checkpoints then cost one listing, not 50. A mutation ends the sharing:
 * a read asked for after it finished goes to the host again.
 *
 * A VM named by name whose id has not been seen yet cannot be told apart from the VMs already in
 * flight by id. With nothing in flight its mutation simply runs (one round trip). With other work
 * in flight, the name is looked up first (Get-VM, side by side with that work), and the mutation
 * takes its turn on the id found: a first `up` of 200 policies named by name would otherwise run
 * them one at a time. A name the host does not know, or knows twice, runs alone: after everything
 * in flight, before anything asked for later, and fails there in the host's words. Once any result
 * shows the VM, its name leads to its id: names are keyed as the host tells them apart
 * (ordinalKey), so a VM named with the Kelvin sign never takes the turn of its twin named with k.
 *
 * At most `maxConcurrent` calls reach the host at once (hyperv:maxSessions): the same bound for
 * the lab and for PowerShell, whose pool has as many shells; a call waiting for its turn on a VM
 * holds no slot.
 */
export function orderedByVm(host: HyperVHost, options: { maxConcurrent?: number } = {}): HyperVHost {
    return new VmOrderedHost(host, options.maxConcurrent ?? Number.POSITIVE_INFINITY);
}

/** A counting semaphore: at most `size` holders at once, served in the order they asked. */
class Slots {
    private used = 0;
    private readonly waiting: (() => void)[] = [];

    constructor(private readonly size: number) {}

    async run<T>(work: () => Promise<T>): Promise<T> {
        if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
        else this.used++;
        try {
            return await work();
        } finally {
            const next = this.waiting.shift();
            if (next) next();
            else this.used--;
        }
    }
}

class VmOrderedHost implements HyperVHost {
    readonly displayName: string;
    private readonly tails = new Map<string, Promise<unknown>>();
    private alone: Promise<unknown> = Promise.resolve();
    /** Mutations running (or waiting to run) alone. */
    private exclusive = 0;
    private readonly idsByName = new Map<string, string>();
    private readonly sharedReads = new Map<string, Promise<VmWithCheckpoints>>();

    private readonly slots: Slots;

    constructor(
        private readonly inner: HyperVHost,
        maxConcurrent: number,
    ) {
        this.displayName = inner.displayName;
        this.slots = new Slots(maxConcurrent);
    }

    capabilities() {
        return this.slots.run(() => this.inner.capabilities());
    }

    async getVm(ref: VmRef, options?: VmReadOptions) {
        return this.learn(await this.slots.run(() => this.inner.getVm(ref, options)));
    }

    getVmWithCheckpoints(ref: VmRef): Promise<VmWithCheckpoints> {
        if (!("id" in ref)) {
            return this.slots
                .run(() => this.inner.getVmWithCheckpoints(ref))
                .then((listing) => {
                    this.learn(listing.vm);
                    return listing;
                });
        }
        const key = ref.id.toLowerCase();
        let read = this.sharedReads.get(key);
        if (!read) {
            read = this.slots.run(() => this.inner.getVmWithCheckpoints(ref));
            this.sharedReads.set(key, read);
            const done = () => {
                if (this.sharedReads.get(key) === read) this.sharedReads.delete(key);
            };
            read.then(done, done);
        }
        return read;
    }

    applyCheckpointSettings(ref: VmRef, desired: Parameters<HyperVHost["applyCheckpointSettings"]>[1]) {
        return this.mutate(
            ref,
            () => this.slots.run(() => this.inner.applyCheckpointSettings(ref, desired)),
            (applied) => applied.after,
        );
    }

    takeCheckpoint(ref: VmRef, request: Parameters<HyperVHost["takeCheckpoint"]>[1]) {
        return this.mutate(
            ref,
            () => this.slots.run(() => this.inner.takeCheckpoint(ref, request)),
            (taken) => taken.vm,
        );
    }

    applyCheckpoint(vmId: string, checkpointId: string, options?: { start?: boolean }) {
        return this.mutate({ id: vmId }, () => this.slots.run(() => this.inner.applyCheckpoint(vmId, checkpointId, options)));
    }

    renameCheckpoint(vmId: string, checkpointId: string, newName: string) {
        return this.mutate({ id: vmId }, () => this.slots.run(() => this.inner.renameCheckpoint(vmId, checkpointId, newName)));
    }

    startVm(vmId: string) {
        return this.mutate({ id: vmId }, () => this.slots.run(() => this.inner.startVm(vmId)));
    }

    suspendVm(vmId: string) {
        return this.mutate({ id: vmId }, () => this.slots.run(() => this.inner.suspendVm(vmId)));
    }

    resumeVm(vmId: string) {
        return this.mutate({ id: vmId }, () => this.slots.run(() => this.inner.resumeVm(vmId)));
    }

    removeCheckpoint(vmId: string, checkpointId: string) {
        return this.mutate({ id: vmId }, () => this.slots.run(() => this.inner.removeCheckpoint(vmId, checkpointId)));
    }

    dispose() {
        return this.inner.dispose();
    }

    private learn<V extends { id: string; name: string }>(vm: V): V {
        this.idsByName.set(ordinalKey(vm.name), vm.id.toLowerCase());
        return vm;
    }

    /** Runs a mutation in the VM's turn; reads asked for after it do not share one from before. */
    private async mutate<T>(ref: VmRef, mutation: () => Promise<T>, vmOf?: (result: T) => { id: string; name: string }): Promise<T> {
        const vmId = "id" in ref ? ref.id.toLowerCase() : (this.idsByName.get(ordinalKey(ref.name)) ?? (await this.lookUpWhileBusy(ref.name)));
        let touched = vmId;
        const work = async () => {
            try {
                const result = await mutation();
                if (vmOf) touched = this.learn(vmOf(result)).id.toLowerCase();
                return result;
            } finally {
                // A VM named by name that failed before showing itself may be any VM of the host.
                if (touched !== undefined) this.sharedReads.delete(touched);
                else this.sharedReads.clear();
            }
        };
        return vmId !== undefined ? this.inTurn(vmId, work) : this.exclusively(work);
    }

    /** The id of a VM named by name, when other work is in flight (see above); undefined to run alone. */
    private async lookUpWhileBusy(name: string): Promise<string | undefined> {
        if (this.tails.size === 0 && this.exclusive === 0) return undefined;
        try {
            return this.learn(await this.slots.run(() => this.inner.getVm({ name }))).id.toLowerCase();
        } catch {
            return undefined;
        }
    }

    private async inTurn<T>(vmId: string, work: () => Promise<T>): Promise<T> {
        const run = Promise.allSettled([this.alone, this.tails.get(vmId)]).then(work);
        const tail = run.catch(() => undefined);
        this.tails.set(vmId, tail);
        try {
            return await run;
        } finally {
            if (this.tails.get(vmId) === tail) this.tails.delete(vmId);
        }
    }

    private exclusively<T>(work: () => Promise<T>): Promise<T> {
        this.exclusive++;
        const run = Promise.allSettled([this.alone, ...this.tails.values()]).then(work);
        this.alone = run.catch(() => undefined).finally(() => this.exclusive--);
        return run;
    }
}
