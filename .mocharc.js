// @ts-check
"use strict";
// `npm test` runs the suites side by side (mocha --parallel, one file per worker at a time): most
// of a file's time is spent waiting on the engine, a shell or the simulated host's latency, so
// more workers than cores keeps both cores busy. HYPERV_TEST_JOBS=1 runs them one at a time.
//
// Files are handed out longest first, so the slow end-to-end files do not start last and leave
// one worker running alone at the end: the folders below, in this order, then the rest.
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "dist", "test");
const slowFirst = ["newcomer", "e2e", "native", "examples", "reliability", "powershell", "contract", "bench"];

function testFiles() {
    if (!fs.existsSync(root)) return [];
    const all = fs
        .readdirSync(root, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".test.js"))
        .sort();
    const rank = (f) => {
        const i = slowFirst.indexOf(f.split(path.sep)[0]);
        return i < 0 ? slowFirst.length : i;
    };
    return all.sort((a, b) => rank(a) - rank(b)).map((f) => path.join("dist", "test", f));
}

// Mocha adds the files named on its command line to the config's: `npx mocha dist/test/x.test.js`
// should run x alone, so the whole tree is the default only when none is named.
const named = process.argv.slice(2).some((a) => /\.test\.js$|^dist[\\/]test/.test(a));

const jobs = Number(process.env.HYPERV_TEST_JOBS ?? 4);

module.exports = {
    spec: named ? [] : testFiles(),
    timeout: 20000,
    reporter: "./scripts/mocha-reporter.js",
    parallel: jobs > 1,
    jobs,
};
