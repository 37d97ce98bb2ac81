import assert from "node:assert/strict";
import fc from "fast-check";
import { frameCall, frameScript, frameSessionStart, functionCallText } from "../../provider/powershell/protocol";
import { functionNameOf, moduleText } from "../../provider/powershell/module/module";
import { encodeParameter } from "../../provider/powershell/scripts/render";
import { decodeParameter, renderScript } from "../../provider/powershell/scripts";
import { powerShellTargetSchema, remoteConnectParameters } from "../../provider/powershell/target";
import { hostileCorpus } from "../corpus/hostile";
import { BENIGN, operations } from "./support/operations";
import { flatten, loadPowerShellParser, type ParsePowerShell, type SyntaxNode } from "./support/powershell-tree";

/** The base64 parameter literal: the one place where scripts for different inputs may differ. */
const PARAMETER = /^verbatim_string_characters:'[A-Za-z0-9+/=]*'$/;

function errorNodes(node: SyntaxNode, out: string[] = []): string[] {
    if (node.type === "ERROR" || (node as { isMissing?: boolean }).isMissing) out.push(node.text.slice(0, 60));
    for (const child of node.children) errorNodes(child, out);
    return out;
}

/**
 * Two parse trees equal except in parameter literals: same node types and structure, and the same
 * leaf text everywhere but in single-quoted base64 literals. Returns how many leaves differed.
 */
const flattened = new Map<string, string[]>();

function assertSameShape(parse: ParsePowerShell, reference: string, candidate: string, what: string): number {
    let a = flattened.get(reference);
    if (!a) {
        a = flatten(parse(reference));
        flattened.set(reference, a);
    }
    const b = flatten(parse(candidate));
    assert.equal(b.length, a.length, `${what}: the parse tree has a different number of nodes`);
    let differing = 0;
    for (let i = 0; i < a.length; i++) {
        if (a[i] === b[i]) continue;
        assert.ok(PARAMETER.test(a[i]!) && PARAMETER.test(b[i]!), `${what}: the trees differ outside the parameter literal: ${a[i]} vs ${b[i]}`);
        differing++;
    }
    return differing;
}

describe("user values cannot change what a script does (parse trees)", () => {
    let parse: ParsePowerShell;

    before(async () => {
        parse = await loadPowerShellParser();
    });

    for (const op of operations) {
        describe(`the ${op.script.operation} script (${op.file})`, () => {
            const reference = renderScript(op.script, op.input(op.benign));

            it("parses without syntax errors", () => {
                const root = parse(reference);
                assert.deepEqual(errorNodes(root), [], "tree-sitter found syntax errors");
            });

            it("keeps the same parse tree for every hostile name and path, apart from the one parameter literal", () => {
                for (const value of hostileCorpus) {
                    const input = op.input(value);
                    const script = renderScript(op.script, input);
                    const differing = assertSameShape(parse, reference, script, `value ${JSON.stringify(value)}`);
                    assert.ok(differing <= 1, `more than one literal differs for ${JSON.stringify(value)}`);
                    assert.deepEqual(decodeParameter(script), input, "the parameter literal carries the value intact");
                }
            });
        });
    }

    for (const file of ["take-checkpoint", "take-checkpoint-by-vm-name", "apply-checkpoint-settings-by-name"]) {
        it(`keeps the same parse tree for generated names (property-based, ${file})`, () => {
            const op = operations.find((o) => o.file === file)!;
            const reference = renderScript(op.script, op.input(BENIGN));
            const dangerous = fc.constantFrom(
                "'",
                '"',
                "\u2018",
                "\u2019",
                "\u201A",
                "\u201B",
                "\u201C",
                "\u201D",
                "$(",
                "${",
                "`",
                ";",
                "|",
                "&",
                "\n",
                "\r",
                "#",
                "<#",
                "#>",
                "\u0000",
                "*",
                "?",
                "[",
                "]",
                "@'",
                "'@",
                "\\\\",
                " ",
            );
            const piece = fc.oneof(fc.string({ unit: "grapheme", maxLength: 8 }), dangerous);
            fc.assert(
                fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
                    const name = pieces.join("").slice(0, 100);
                    const input = op.input(name);
                    const script = renderScript(op.script, input);
                    assertSameShape(parse, reference, script, `name ${JSON.stringify(name)}`);
                    assert.deepEqual(decodeParameter(script), input);
                }),
                { numRuns: 100 },
            );
        });
    }

    it("the host-side module, loaded once per shell (uploaded) or installed on restricted endpoints, parses without syntax errors", () => {
        assert.deepEqual(errorNodes(parse(moduleText)), [], "tree-sitter found syntax errors");
    });

    for (const op of operations) {
        it(`calls the module's function for ${op.script.operation} (${op.file}) as one command with one literal argument, whatever the value, in every mode`, () => {
            const call = (value: string) => ({ function: functionNameOf(op.script), payload: encodeParameter(op.input(value)) });
            const reference = functionCallText(call(op.benign));
            const tree = flatten(parse(reference));
            // The only shape NoLanguage runs: a command name and one string literal.
            assert.deepEqual(
                tree
                    .filter((node) => !node.startsWith("(") && node !== ")")
                    .map((leaf) => leaf.split(":")[0]!)
                    .filter((type) => type.trim() !== ""),
                ["command_name", "command_parameter", "verbatim_string_characters"],
                tree.join(" "),
            );
            // The line a shell writes: local (an uploaded endpoint on this machine) and remote (uploaded
            // and installed endpoints alike send the same call into the remote session).
            const framed = [false, true].map((remote) => {
                const line = frameCall(call(op.benign), remote);
                assert.deepEqual(errorNodes(parse(line)), []);
                return { remote, reference: line };
            });
            for (const value of hostileCorpus) {
                assertSameShape(parse, reference, functionCallText(call(value)), `value ${JSON.stringify(value)}`);
                for (const { remote, reference: framedReference } of framed) {
                    const line = frameCall(call(value), remote);
                    assert.ok(!/[\r\n]/.test(line), "one stdin line per command");
                    assertSameShape(parse, framedReference, line, `framed value ${JSON.stringify(value)} (${remote ? "remote" : "local"})`);
                }
            }
        });
    }

    it("sends a script that is no operation as one command line with the same shape whatever it contains", () => {
        const read = operations.find((o) => o.file === "read-vm-by-name")!;
        for (const remote of [false, true]) {
            const reference = frameScript(renderScript(read.script, read.input(BENIGN)), remote);
            assert.deepEqual(errorNodes(parse(reference)), []);
            for (const value of hostileCorpus) {
                const line = frameScript(renderScript(read.script, read.input(value)), remote);
                assert.ok(!/[\r\n]/.test(line), "one stdin line per command");
                assertSameShape(parse, reference, line, `framed value ${JSON.stringify(value)}`);
            }
        }
    });

    for (const endpoint of ["uploaded", "installed"] as const) {
        it(`opens remote sessions with the same command shape whatever the host, user, key path or password (${endpoint} endpoint)`, () => {
            const reference = frameSessionStart(
                remoteConnectParameters(powerShellTargetSchema.parse({ kind: "winrm", computerName: "hv01", userName: "u", password: "p", endpoint })),
                4242,
                endpoint,
            );
            assert.deepEqual(errorNodes(parse(reference)), []);
            for (const value of hostileCorpus) {
                const target = powerShellTargetSchema.parse({
                    kind: "winrm",
                    computerName: value || "x",
                    userName: value || "x",
                    password: value || "x",
                    endpoint,
                });
                const line = frameSessionStart(remoteConnectParameters(target), 4242, endpoint);
                assert.ok(!/[\r\n]/.test(line));
                assertSameShape(parse, reference, line, `connection value ${JSON.stringify(value)}`);
                if (value.length > 3) assert.ok(!line.includes(value), "no connection value appears in clear in the command");
            }
        });
    }
});
