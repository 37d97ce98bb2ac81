import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { ordinalKey, sameIgnoringCase } from "../../provider/host";
import { repoRoot } from "../e2e/harness";
import { findPwsh, PWSH_HOW, unavailable } from "../powershell/support/real-shells";

/*
 * The lab, the per-VM ordering and the provider's path comparisons tell names apart with
 * ordinalKey; the scripts and Hyper-V with .NET's OrdinalIgnoreCase. Here PowerShell 7 lists, in
 * one run, which characters it takes for one another (scripts/ordinal-casing.ps1), and the
 * provider's rule must group every character the same way.
 */

const text = (cp: number) => (cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp));

describe("names compared as .NET's OrdinalIgnoreCase compares them", () => {
    it("groups every character of the Basic Multilingual Plane and plane 1 as PowerShell 7 does", async function () {
        this.timeout(120_000);
        const pwsh = findPwsh();
        if (!pwsh) return unavailable(this, "PowerShell 7", PWSH_HOW);
        const { stdout } = await promisify(execFile)(pwsh, ["-NoProfile", "-NonInteractive", "-File", path.join(repoRoot, "scripts", "ordinal-casing.ps1")], {
            maxBuffer: 1 << 24,
        });
        const dotnet = stdout
            .trim()
            .split(/\r?\n/)
            .map((line) =>
                line
                    .trim()
                    .split(" ")
                    .map((hex) => Number.parseInt(hex, 16)),
            );
        assert.ok(dotnet.length > 1000, `PowerShell listed ${dotnet.length} groups`);

        const ours = new Map<string, number[]>();
        for (let cp = 0; cp <= 0x1ffff; cp++) {
            const key = ordinalKey(text(cp));
            ours.set(key, [...(ours.get(key) ?? []), cp]);
        }
        const hex = (cps: number[]) => cps.map((cp) => cp.toString(16).toUpperCase().padStart(4, "0")).join(" ");
        const sorted = (groups: number[][]) => groups.map((g) => hex([...g].sort((a, b) => a - b))).sort();
        assert.deepEqual(sorted([...ours.values()].filter((g) => g.length > 1)), sorted(dotnet), "the same groups");
        for (const [upper, ...others] of dotnet) {
            for (const cp of others) assert.equal(ordinalKey(text(cp)), text(upper!), `U+${hex([cp])} compares as its upper case U+${hex([upper!])}`);
        }
    });

    const cases: [string, string, string, boolean][] = [
        ["ı (dotless i) is not I, though JavaScript upper-cases it so", "d\u0131s01", "DIS01", false],
        ["ſ (long s) is not S, though JavaScript upper-cases it so", "\u017Fql01", "SQL01", false],
        ["ᾳ is the lower case of ᾼ, though JavaScript upper-cases it to two letters", "\u1FB3pp01", "\u1FBCPP01", true],
        ["a Deseret small letter is its capital (a surrogate pair compares as one character)", "\u{10428}01", "\u{10400}01", true],
        ["the Kelvin sign is not k", "\u212Aelvin09", "kelvin09", false],
    ];
    for (const [what, a, b, expected] of cases) it(what, () => assert.equal(sameIgnoringCase(a, b), expected));
});
