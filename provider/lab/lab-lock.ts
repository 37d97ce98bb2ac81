import * as lockfile from "proper-lockfile";
import { journalPath } from "./journal";

/** A holder that stops refreshing its lock (killed, hung) loses it after this long. */
export const LOCK_STALE_MS = 5000;
const LOCK_RETRIES = { retries: 4000, factor: 1, minTimeout: 5, maxTimeout: 40, randomize: true };

/** Per lab folder, the tail of this process's queue for the lab-wide lock. */
const queues = new Map<string, Promise<void>>();

/**
 * Runs `work` holding the lab-wide lock. The lock is a file lock because other processes (other
 * providers, the lab CLI, tests) write the same lab; within one process, callers queue here first,
 * so that only one of them polls the file lock at a time. Without the queue, 200 concurrent
 * mutations of one provider all retried `mkdir` and `stat` every 5–40 ms: a third of the CPU of
 * a burst of takes, and waits in which the lock sat free.
 */
export async function withLabLock<T>(folder: string, work: () => T): Promise<T> {
    const before = queues.get(folder) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
        done = resolve;
    });
    const tail = before.then(() => mine);
    queues.set(folder, tail);
    try {
        await before;
        const release = await lockfile.lock(journalPath(folder), { realpath: false, stale: LOCK_STALE_MS, retries: LOCK_RETRIES });
        try {
            return work();
        } finally {
            await release();
        }
    } finally {
        done();
        if (queues.get(folder) === tail) queues.delete(folder);
    }
}
