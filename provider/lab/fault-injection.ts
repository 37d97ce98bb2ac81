/**
 * Fault injection for crash tests: `<action>:<operation>:<point>`, from the HYPERV_LAB_FAULT
 * environment variable or the document's `host.fault`.
 *  - action: `hang` (block forever: the lock stays until it goes stale, see store.ts) or `exit`
 *    (process.exit(137), as if killed);
 *  - operation: a lab operation name, e.g. `takeCheckpoint`, `removeCheckpoint`, or `*`;
 *  - point: `beforeFiles` (nothing done yet), `afterFiles` (new files written, document not),
 *    `beforeWrite` (same moment, named for document writes), `afterWrite` (document written, old
 *    files not yet deleted).
 * Example: HYPERV_LAB_FAULT=exit:removeCheckpoint:beforeWrite
 */
export type FaultPoint = "beforeFiles" | "afterFiles" | "beforeWrite" | "afterWrite";

export function injectFault(configured: string | null, operation: string, point: FaultPoint): void {
    const spec = process.env.HYPERV_LAB_FAULT || configured;
    if (!spec) return;
    const [action, op, at] = spec.split(":");
    if ((op !== operation && op !== "*") || at !== point) return;
    if (action === "exit") process.exit(137);
    if (action === "hang") {
        process.stderr.write(`hyperv-lab: hanging in ${operation} at ${point} (HYPERV_LAB_FAULT)\n`);
        // A synchronous wait: nothing in this process runs any more, not even the lock refresh,
        // so other processes get the lab back once the lock is stale, as after a real hang.
        const forever = new Int32Array(new SharedArrayBuffer(4));
        for (;;) Atomics.wait(forever, 0, 0);
    }
}
