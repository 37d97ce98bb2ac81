import assert from "node:assert/strict";
import { excerpt } from "../../provider/powershell/errors";
import { isUnknown } from "../../provider/resources/shared/check";
import { namesManagedVm, vmRefOf } from "../../provider/resources/shared/vm-target";
import { withoutUndefined } from "../../provider/shared/objects";
import { UNKNOWN } from "./helpers";

const vmId = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";

describe("namesManagedVm: a declaration still names the VM a resource manages", () => {
    const managed = { vmId, vmName: "web01-renamed", vmNameDeclared: "web01" };
    const cases: [string, { vmName?: string; vmId?: string }, boolean][] = [
        ["by the name it was declared with, after a rename on the host", { vmName: "web01" }, true],
        ["by its name on the host now", { vmName: "web01-renamed" }, true],
        ["by another name", { vmName: "web02" }, false],
        ["by its id", { vmId }, true],
        ["by another id", { vmId: "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a12" }, false],
    ];
    for (const [what, declared, expected] of cases) it(what, () => assert.equal(namesManagedVm(managed, declared), expected));
});

describe("vmRefOf: how the host is asked for the declared VM", () => {
    it("by id when the declaration has one", () => assert.deepEqual(vmRefOf({ vmId }), { id: vmId }));
    it("by name otherwise", () => assert.deepEqual(vmRefOf({ vmName: "web01" }), { name: "web01" }));
});

describe("withoutUndefined: what a stored record keeps", () => {
    const cases: [string, object, object][] = [
        ["undefined fields go", { a: 1, b: undefined }, { a: 1 }],
        ["null, false, 0 and empty text stay: they are values", { a: null, b: false, c: 0, d: "" }, { a: null, b: false, c: 0, d: "" }],
        ["nested objects are kept as they are", { a: { b: undefined } }, { a: { b: undefined } }],
    ];
    for (const [what, value, expected] of cases) it(what, () => assert.deepEqual(withoutUndefined(value), expected));
});

describe("isUnknown: a value the engine has not resolved during preview", () => {
    it("Pulumi's sentinel is unknown", () => assert.equal(isUnknown(UNKNOWN), true));
    it("any other text is known", () => assert.equal(isUnknown("web01"), false));
});

describe("excerpt: how much of a shell's output an error message carries", () => {
    const cases: [string, string, number, string][] = [
        ["short output, trimmed", "  hello \n", 10, "hello"],
        ["exactly the limit: whole", "abcde", 5, "abcde"],
        ["longer: cut, with its length", "abcdefgh", 5, "abcde… (8 characters in all)"],
        ["nothing: empty", "   ", 5, ""],
    ];
    for (const [what, output, limit, expected] of cases) it(what, () => assert.equal(excerpt(output, limit), expected));
});
