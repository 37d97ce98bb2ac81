import assert from "node:assert/strict";
import { sameHostPath, sameIgnoringCase, unpairedSurrogate } from "../../provider/host";

describe("sameIgnoringCase: names as Windows compares them (ordinal, ignoring case)", () => {
    const cases: [string, string, string, boolean][] = [
        ["the same name in another case", "WEB01", "web01", true],
        ["another name", "web01", "web02", false],
        ["accented letters fold as .NET folds them", "ÉCOLE", "école", true],
        ["the Kelvin sign is not the letter k (JavaScript's toLowerCase would say it is)", "\u212A", "k", false],
        ["ß is not SS (its upper case is two letters, which .NET keeps as ß)", "straße", "STRASSE", false],
        ["a zero-width space makes another name (PowerShell's -eq would ignore it)", "web\u200B01", "web01", false],
    ];
    for (const [what, a, b, expected] of cases) it(what, () => assert.equal(sameIgnoringCase(a, b), expected));
});

describe("sameHostPath: folders as the host compares them", () => {
    const cases: [string, string, string, boolean][] = [
        ["the same folder in another case", "D:\\Checkpoints", "d:\\checkpoints", true],
        ["a trailing backslash changes nothing", "D:\\Checkpoints\\", "D:\\Checkpoints", true],
        ["several trailing backslashes neither", "D:\\Checkpoints\\\\", "d:\\checkpoints", true],
        ["another drive", "D:\\Checkpoints", "E:\\Checkpoints", false],
        ["a subfolder is another folder", "D:\\Checkpoints\\web01", "D:\\Checkpoints", false],
        ["a UNC share in another case", "\\\\nas\\share\\cp", "\\\\NAS\\Share\\CP\\", true],
    ];
    for (const [what, a, b, expected] of cases) it(what, () => assert.equal(sameHostPath(a, b), expected));
});

describe("unpairedSurrogate: text that cannot reach a host", () => {
    const cases: [string, string, { index: number; unit: string } | null][] = [
        ["plain text", "before upgrade", null],
        ["an emoji is a whole pair", "backup \u{1F4BE}", null],
        ["a lone high surrogate, with where it is", "ab\uD83D", { index: 2, unit: "U+D83D" }],
        ["a lone low surrogate", "\uDCBEx", { index: 0, unit: "U+DCBE" }],
    ];
    for (const [what, text, expected] of cases) it(what, () => assert.deepEqual(unpairedSurrogate(text), expected));
});
