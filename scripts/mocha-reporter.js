// @ts-check
"use strict";
// Mocha's spec reporter, closed by the time each suite folder took (so a slow suite shows before
// CI's budget is gone) and one plain summary line ("N passed, N failed, N skipped") that CI
// systems read whatever the test runner.
//
// Under `--parallel`, a worker hands its file's events over only when the file has finished, so
// the reporter cannot time a file by the clock: a folder's time is the sum of what its tests and
// hooks took, as each measured itself.
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_TEST_END, EVENT_HOOK_END } = Mocha.Runner.constants;

/** `dist/test/<folder>/…` → `<folder>`; files directly under dist/test are their own suite. */
function suiteOf(file) {
    if (!file) return "(unknown)";
    const parts = path.relative(process.cwd(), file).split(path.sep);
    const at = parts.indexOf("test");
    const rest = at >= 0 ? parts.slice(at + 1) : parts;
    return rest.length > 1 ? rest[0] : rest[0].replace(/\.test\.js$/, "");
}

/** The file a test or hook came from: its own, else its nearest suite's (hooks carry none). */
function fileOf(runnable) {
    for (let r = runnable; r; r = r.parent) if (r.file) return r.file;
    return undefined;
}

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        /** @type {Map<string, number>} milliseconds per suite folder */
        const busy = new Map();
        let started = Date.now();
        const add = (runnable) => {
            const suite = suiteOf(fileOf(runnable));
            busy.set(suite, (busy.get(suite) ?? 0) + (runnable.duration ?? 0));
        };
        runner.once(EVENT_RUN_BEGIN, () => {
            started = Date.now();
        });
        runner.on(EVENT_TEST_END, add);
        runner.on(EVENT_HOOK_END, add);
        runner.once(EVENT_RUN_END, () => {
            const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
            const rows = [...busy].sort((a, b) => b[1] - a[1]);
            const width = Math.max(...rows.map(([name]) => name.length), 5);
            const lines = rows.map(([name, ms]) => `  ${name.padEnd(width)}  ${(ms / 1000).toFixed(1).padStart(7)} s`);
            process.stdout.write(`\nsuite times (tests and hooks, summed; run side by side under --parallel):\n${lines.join("\n")}\n`);
            process.stdout.write(`  ${"wall".padEnd(width)}  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s\n`);
            process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
        });
    }
}

module.exports = SpecWithSummary;
