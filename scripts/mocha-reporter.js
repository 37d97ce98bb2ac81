// @ts-check
"use strict";
// Mocha's spec reporter, closed by one plain summary line ("N passed, N failed, N skipped") that
// CI systems read whatever the test runner.
const Mocha = require("mocha");

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
            process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
        });
    }
}

module.exports = SpecWithSummary;
