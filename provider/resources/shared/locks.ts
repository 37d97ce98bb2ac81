/**
 * Serialises work per key (a VM id) inside this process. Pulumi runs resources in parallel, and a
 * checkpoint's "count, then take" and its parent chain are only right when one VM sees one
 * mutation at a time; the hosts serialise across processes themselves.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withVmLock<T>(vmId: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(vmId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(vmId, tail);
    try {
        return await run;
    } finally {
        if (tails.get(vmId) === tail) tails.delete(vmId);
    }
}
