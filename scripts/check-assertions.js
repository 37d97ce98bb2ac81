#!/usr/bin/env node
/*
 * Fails when a test cannot fail: an `it(...)` whose body asserts nothing. Run by `npm run lint`
 * (so by `npm test`). An assertion is a call of node:assert (`assert(...)`, `assert.x(...)`), a
 * `should`/`expect` chain, `this.skip()`, or a call of a test helper that asserts: a function
 * declared in test/ whose body makes one of these calls, directly or through another such helper.
 * The test's own body must make one whatever the data (not only under an `if`); helpers are known
 * by name across the test tree, which is enough to catch the body that may assert nothing.
 */
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const root = path.join(__dirname, "..");
const testDir = path.join(root, "test");

function sourcesIn(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourcesIn(file);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
    });
}

const files = sourcesIn(testDir).map((file) => ({ file, source: ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true) }));

/** The name a call is made by: `f(...)` → f, `a.b.f(...)` → f, with the receiver's first name. */
function callee(call) {
    let expr = call.expression;
    if (ts.isNonNullExpression(expr)) expr = expr.expression;
    if (ts.isIdentifier(expr)) return { name: expr.text, receiver: null };
    if (ts.isPropertyAccessExpression(expr)) {
        let head = expr.expression;
        while (ts.isPropertyAccessExpression(head) || ts.isCallExpression(head) || ts.isNonNullExpression(head)) head = head.expression;
        return { name: expr.name.text, receiver: head.kind === ts.SyntaxKind.ThisKeyword ? "this" : ts.isIdentifier(head) ? head.text : null };
    }
    return null;
}

function isDirectAssertion(call) {
    const c = callee(call);
    if (!c) return false;
    if (c.receiver === null && (c.name === "assert" || c.name === "expect")) return true;
    if (c.receiver === "assert" || c.receiver === "expect") return true;
    return c.receiver === "this" && c.name === "skip";
}

/** Every call made inside `node`, nested functions included. */
function callsIn(node) {
    const calls = [];
    const visit = (n) => {
        if (ts.isCallExpression(n)) calls.push(n);
        ts.forEachChild(n, visit);
    };
    visit(node);
    return calls;
}

/** Named functions of the test tree (declarations, methods, and consts bound to arrows/functions) with their bodies. */
const helpers = new Map();
for (const { source } of files) {
    const visit = (n) => {
        let name;
        let body;
        if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && n.body) {
            name = n.name.getText();
            body = n.body;
        } else if (
            ts.isVariableDeclaration(n) &&
            ts.isIdentifier(n.name) &&
            n.initializer &&
            (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
        ) {
            name = n.name.text;
            body = n.initializer.body;
        }
        if (name && body) helpers.set(name, [...(helpers.get(name) ?? []), body]);
        ts.forEachChild(n, visit);
    };
    visit(source);
}

/** Helpers that assert: to a fixed point, so a helper calling an asserting helper asserts too. */
const asserting = new Set();
for (let grew = true; grew; ) {
    grew = false;
    for (const [name, bodies] of helpers) {
        if (asserting.has(name)) continue;
        const asserts = bodies.some((body) => callsIn(body).some((call) => isDirectAssertion(call) || asserting.has(callee(call)?.name)));
        if (asserts) {
            asserting.add(name);
            grew = true;
        }
    }
}

const assertingCall = (call) => isDirectAssertion(call) || asserting.has(callee(call)?.name);

/**
 * Whether `node` asserts whatever the data: a branch that may not run (an `if` without an `else`
 * that asserts too, one side of `?:`, the right of `&&`/`||`/`??`) does not count, since an
 * assertion made only for the entries a filter lets through asserts nothing when it lets none through.
 */
function assertsWhateverTheData(node) {
    if (ts.isIfStatement(node)) {
        return (
            assertsWhateverTheData(node.expression) ||
            (node.elseStatement !== undefined && assertsWhateverTheData(node.thenStatement) && assertsWhateverTheData(node.elseStatement))
        );
    }
    if (ts.isConditionalExpression(node)) {
        return assertsWhateverTheData(node.condition) || (assertsWhateverTheData(node.whenTrue) && assertsWhateverTheData(node.whenFalse));
    }
    if (
        ts.isBinaryExpression(node) &&
        [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)
    ) {
        return assertsWhateverTheData(node.left);
    }
    if (ts.isCallExpression(node) && assertingCall(node)) return true;
    return ts.forEachChild(node, (child) => assertsWhateverTheData(child) || undefined) === true;
}

function asserts(body) {
    if (ts.isIdentifier(body)) return asserting.has(body.text);
    return assertsWhateverTheData(body);
}

const offenders = [];
for (const { file, source } of files) {
    const visit = (n) => {
        if (ts.isCallExpression(n)) {
            const c = callee(n);
            const isIt = c && ((c.receiver === null && c.name === "it") || (c.receiver === "it" && c.name === "only"));
            const body = n.arguments[1];
            if (isIt && body && !asserts(body)) {
                const { line } = source.getLineAndCharacterOfPosition(n.getStart());
                offenders.push(`${path.relative(root, file)}:${line + 1}: ${n.arguments[0].getText().slice(0, 100)} asserts nothing`);
            }
        }
        ts.forEachChild(n, visit);
    };
    visit(source);
}

if (offenders.length > 0) {
    console.error(`${offenders.join("\n")}\n\n${offenders.length} test(s) cannot fail: give each an assertion about what a user would notice.`);
    process.exit(1);
}
console.log(`check-assertions: every it(...) in test/ asserts (${asserting.size} asserting helpers)`);
