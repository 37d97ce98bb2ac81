import type { VmRef } from "../host/model";

/**
 * The lock a mutation of a VM takes: its id, or its name (Hyper-V compares names without case)
 * when it is named by name. Resolving the name to an id first would cost a second round trip, so
 * a mutation by name and one by id of the same VM are not serialised against each other.
 */
export function vmLockKey(ref: VmRef): string {
    return "id" in ref ? ref.id.toLowerCase() : `name:${ref.name.toLowerCase()}`;
}

/**
 * Runs mutations of one VM one after another. Pulumi runs resources in parallel, and two
 * operations on one VM at once fail with a state error on Hyper-V; different VMs still proceed
 * side by side (up to the session's own queue).
 */
export class VmLocks {
    private readonly tails = new Map<string, Promise<unknown>>();

    run<T>(ref: VmRef, action: () => Promise<T>): Promise<T> {
        const key = vmLockKey(ref);
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
