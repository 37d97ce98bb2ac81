import type { HyperVHost, VmRef } from "../../host";

/*
 * Serialises work per VM inside this process. Pulumi runs resources in parallel, and Hyper-V
 * refuses a second operation on a VM while one runs; the hosts serialise across processes
 * themselves.
 *
 * A VM named by name whose id this process has not learned yet cannot be told apart from the VMs
 * already locked by id, so its work runs alone: after everything in flight, before anything
 * asked for later. Once any result shows the VM, its name leads to its id.
 */
const tails = new Map<string, Promise<unknown>>();
let alone: Promise<unknown> = Promise.resolve();
const idsByName = new Map<string, string>();

const nameKey = (host: HyperVHost, name: string) => `${host.displayName}\n${name.toLowerCase()}`;

/** Remembers which VM a name leads to on this host, so later work on it needs no exclusive turn. */
export function learnVm(host: HyperVHost, vm: { id: string; name: string }): void {
    idsByName.set(nameKey(host, vm.name), vm.id);
}

export async function withVmLock<T>(host: HyperVHost, ref: VmRef, work: () => Promise<T>): Promise<T> {
    const vmId = "id" in ref ? ref.id : idsByName.get(nameKey(host, ref.name));
    return vmId !== undefined ? onVm(vmId.toLowerCase(), work) : exclusively(work);
}

async function onVm<T>(vmId: string, work: () => Promise<T>): Promise<T> {
    const run = Promise.allSettled([alone, tails.get(vmId)]).then(work);
    const tail = run.catch(() => undefined);
    tails.set(vmId, tail);
    try {
        return await run;
    } finally {
        if (tails.get(vmId) === tail) tails.delete(vmId);
    }
}

async function exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = Promise.allSettled([alone, ...tails.values()]).then(work);
    alone = run.catch(() => undefined);
    return run;
}
