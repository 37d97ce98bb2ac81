/**
 * Runs mutations of one VM one after another. Pulumi runs resources in parallel, and two
 * operations on one VM at once fail with a state error on Hyper-V; different VMs still proceed
 * side by side (up to the session's own queue).
 */
export class VmLocks {
    private readonly tails = new Map<string, Promise<unknown>>();

    run<T>(vmId: string, action: () => Promise<T>): Promise<T> {
        const key = vmId.toLowerCase();
        const previous = this.tails.get(key) ?? Promise.resolve();
        const next = previous.then(action, action);
        const tail = next.catch(() => undefined);
        this.tails.set(key, tail);
        void tail.then(() => {
            if (this.tails.get(key) === tail) this.tails.delete(key);
        });
        return next;
    }
}
