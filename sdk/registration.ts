/*
 * Pulumi's Node.js runtime keeps `new Error().stack` on every promise it makes while a resource
 * registers (four per declared property: value, known, secret, dependencies), to print them only
 * if PULUMI_DEBUG_PROMISE_LEAKS is set. Under the source-map support its program runner installs,
 * each of those stacks is mapped frame by frame: at 1,500 resources of ~16 properties that was
 * half of a no-change `up` (BENCHMARKS.md, "What dominates the remaining time"). The resources
 * of this package therefore register with stack traces off for the synchronous part of their
 * constructor. Pulumi's own source position of the resource is unaffected (it raises the limit
 * itself while it reads the caller's frame), and an error thrown from the constructor is given
 * its stack from here, where the program called it.
 */

/** Turns stack capture off until `restore` (or `withStack` of a thrown error), unless promise leaks are being debugged. */
export function quietRegistration(): { restore(): void; withStack(e: unknown): unknown } {
    const limit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    const restore = () => {
        Error.stackTraceLimit = limit;
    };
    const withStack = (e: unknown) => {
        restore();
        if (e instanceof Error && limit !== 0 && !/\n\s+at /.test(e.stack ?? "")) Error.captureStackTrace(e, withStack);
        return e;
    };
    return { restore, withStack };
}
