import { spawnSync } from "node:child_process";
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { readHostSettings, parseHostAddress } from "../../provider/config";
import { configureSettings, disconnectAll, hostFor } from "../../provider/root";
import { createPowerShellHost } from "../../provider/powershell";
import { readLab } from "../../provider/lab";
import { RealShells } from "../powershell/support/real-shells";
import { type Captured, emptyLab, LabStack } from "./support/lab-stack";
import { pwshOnPath, type RecordedStart } from "./support/pwsh-on-path";

/** Every text file under a folder (symlinks, e.g. the linked package in node_modules, skipped). */
function filesUnder(dir: string): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isSymbolicLink()) continue;
        if (e.isDirectory()) out.push(...filesUnder(full));
        else if (e.isFile()) out.push(full);
    }
    return out;
}

function assertAbsent(password: string, text: string, where: string): void {
    assert.ok(!text.includes(password), `the password appears in ${where}`);
}

/**
 * The engine keeps the whole stack configuration as the inputs of the default dynamic provider; the
 * password must be there as a secret (only `--show-secrets` decrypts it), never as a plain string.
 */
function assertSecretInState(shownState: string, password: string): void {
    const resources = (JSON.parse(shownState).deployment.resources ?? []) as { type: string; inputs?: Record<string, unknown> }[];
    for (const r of resources) {
        for (const [key, value] of Object.entries(r.inputs ?? {})) {
            if (JSON.stringify(value).includes(password)) {
                assert.equal(typeof value, "object", `${r.type} input ${key} holds the password as a plain value`);
                assert.equal((value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", `${key} is a secret`);
            }
        }
    }
}

/**
 * What an `up` leaves behind, searched for a secret: the engine's output and -v=9 log, `pulumi stack
 * export`, the stack's files, and the state, where a configured secret must stay a secret.
 */
async function assertUpLeftNoTrace(stack: LabStack, res: Captured, secret: string): Promise<void> {
    assert.ok(res.output.length > 10_000, "the verbose log was captured");
    assertAbsent(secret, res.output, "the engine's output and -v=9 log");
    const exported = stack.cli("stack", "export");
    assert.equal(exported.status, 0, exported.output);
    assertAbsent(secret, exported.output, "`pulumi stack export`");
    for (const file of filesUnder(stack.test.workDir)) assertAbsent(secret, fs.readFileSync(file, "latin1"), file);
    assertSecretInState(await stack.test.exportState(), secret);
    const stateFiles = filesUnder(stack.test.stateDir).filter((f) => f.endsWith(".json"));
    assert.ok(stateFiles.length > 0, "the backend wrote state files");
}

/** The shells the provider started: the secret is on none of their command lines or environments. */
function assertShellsNeverGot(starts: RecordedStart[], secret: string): void {
    assert.ok(starts.length >= 1, "the adapter started the shell");
    for (const start of starts) {
        assertAbsent(secret, start.argv, "the shell's arguments");
        assertAbsent(secret, start.env, "the shell's environment");
    }
}

describe("secrets: a host password set as a Pulumi secret never shows in plain text", function () {
    this.timeout(600_000);
    const password = `S3cr3t-Pa55-${randomBytes(6).toString("hex")}`;
    let lab: string;
    let stack: LabStack;
    let pwsh: ReturnType<typeof pwshOnPath>;

    // A lab, a recording pwsh and a stack for each test: what a test searches for the password (the
    // shell starts, the stack's files and state) is then what that test's own operation left.
    beforeEach(async () => {
        lab = await emptyLab(["web01"]);
        pwsh = pwshOnPath();
        stack = await LabStack.create({
            lab,
            config: {
                "hyperv:user": { value: "hvadmin" },
                "hyperv:password": { value: password, secret: true },
            },
            // A `pwsh` that records its arguments and environment stands in for PowerShell, so a
            // winrm:// override runs the real adapter as far as a shell without Hyper-V allows.
            env: { PATH: `${pwsh.dir}${path.delimiter}${process.env.PATH ?? ""}`, NODE_POWERSHELL: "" },
        });
    });
    afterEach(async () => {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
        fs.rmSync(pwsh.dir, { recursive: true, force: true });
    });

    it("keeps it out of the state (exported and on disk), the stack's files and -v=9 engine logs of an up", async () => {
        await stack.declare({ snap: { vmName: "web01", name: "with a secret configured" } });
        const res = await stack.up({ verbose: true });
        assert.ok(res.ok, res.output);
        await assertUpLeftNoTrace(stack, res, password);
    });

    /** A checkpoint on the lab and one on a winrm:// host, which runs the PowerShell adapter with the password. */
    const withRemote = {
        snap: { vmName: "web01", name: "with a secret configured" },
        remote: { vmName: "missing", name: "on a remote host", host: "winrm://hv01.example.test" },
    };

    it("keeps it off the shell's command line and environment for a winrm:// host, and out of the failure", async () => {
        await stack.declare(withRemote);
        const res = await stack.up({ verbose: true });
        // The stand-in answers the session start, then that the remote host has no such VM.
        assert.equal(res.ok, false, res.output);
        assert.match(res.output, /hv01\.example\.test \(winrm\)/, "the failure names the remote host");
        assertAbsent(password, res.output, "the engine's output, -v=9 log and the failure");
        assertShellsNeverGot(pwsh.starts(), password);
        assertAbsent(password, stack.cli("stack", "export").output, "`pulumi stack export`");
        for (const file of filesUnder(stack.test.workDir)) assertAbsent(password, fs.readFileSync(file, "latin1"), file);
    });

    it("keeps it out of a preview's -v=9 log", async () => {
        // Declared here, not left by the test before: the preview must plan the winrm:// checkpoint too.
        await stack.declare(withRemote);
        const res = await stack.preview({ verbose: true });
        assertAbsent(password, res.output, "the preview's output");
    });
});

/*
 * The restricted endpoint (README "Least privilege") over SSH, one stack through the real engine.
 * SSH remoting signs in with a key (the configuration refuses a password for ssh://), so the
 * credential is the key: its file's path, set here as a Pulumi secret, and its content.
 */
describe("secrets: the SSH key of a restricted endpoint (hyperv:endpoint installed) never shows in plain text", function () {
    this.timeout(600_000);
    const shells = new RealShells();
    shells.hooks(["pwsh-ssh-restricted"]);

    it("keeps the key's path and content out of the state, the stack's files, -v=9 logs, and the shell's command line, environment and transcript", async () => {
        const sshd = shells.sshd!;
        const lab = await emptyLab(["web01"]);
        shells.useLab(lab);
        const pwsh = pwshOnPath(shells.pwsh);
        const keyPath = sshd.clientKey;
        // A line of the private key's body: what would show if the key itself were passed along.
        const keyLine = fs.readFileSync(keyPath, "utf8").split("\n")[1]!;
        assert.ok(keyLine.length > 30, "a line of the key's body");
        const stack = await LabStack.create({
            lab,
            config: {
                "hyperv:host": { value: `ssh://${sshd.user}@127.0.0.1:${sshd.restrictedPort}` },
                "hyperv:keyFile": { value: keyPath, secret: true },
                "hyperv:knownHostsFile": { value: sshd.knownHosts },
                "hyperv:endpoint": { value: "installed" },
            },
            env: { PATH: `${pwsh.dir}${path.delimiter}${process.env.PATH ?? ""}` },
        });
        try {
            await stack.declare({ snap: { vmName: "web01", name: "through the restricted endpoint" } });
            const res = await stack.up({ verbose: true });
            assert.ok(res.ok, res.output);
            assert.ok(
                readLab(lab).checkpoints.some((c) => c.name === "through the restricted endpoint"),
                "the checkpoint was taken through the endpoint",
            );
            const starts = pwsh.starts();
            for (const secret of [keyPath, keyLine]) {
                await assertUpLeftNoTrace(stack, res, secret);
                assertShellsNeverGot(starts, secret);
                for (const start of starts) {
                    assertAbsent(secret, start.stdin, "the shell's transcript");
                    assertAbsent(secret, start.commands, "the commands its sessions were sent");
                }
            }
            // Only the session start names the key file, for New-PSSession, inside its base64 JSON;
            // the calls of the module's functions carry nothing of it, even decoded.
            const calls = starts.flatMap((start) => start.commands.split("\n").filter((line) => line.startsWith("try {")));
            const decoded = calls.flatMap((line) => (line.match(/[A-Za-z0-9+/=]{16,}/g) ?? []).map((run64) => Buffer.from(run64, "base64").toString("utf8")));
            assert.ok(
                decoded.some((text) => text.startsWith("Invoke-HvcpTakeCheckpoint -Payload ")),
                "the transcript holds the calls",
            );
            for (const text of decoded) {
                assertAbsent(keyPath, text, "a call's base64");
                assertAbsent(keyLine, text, "a call's base64");
            }
        } finally {
            await stack.dispose();
            fs.rmSync(lab, { recursive: true, force: true });
            fs.rmSync(pwsh.dir, { recursive: true, force: true });
        }
    });
});

describe("secrets: error messages never include a password", function () {
    this.timeout(60_000);
    const password = `S3cr3t-Pa55-${randomBytes(6).toString("hex")}`;
    afterEach(() => disconnectAll());

    it("an invalid setting next to a password", () => {
        assert.throws(
            () => readHostSettings({ get: (k) => ({ "hyperv:password": password, "hyperv:timeoutSeconds": "soon" })[k] }),
            (e: Error) => /hyperv:timeoutSeconds/.test(e.message) && !e.message.includes(password),
        );
    });

    it("a password written into the host address", () => {
        for (const address of [`ssh://admin:${password}@hv01`, `winrm://admin:${password}@hv01`, `winrm://hv01?password=${password}`]) {
            const why = parseHostAddress(address);
            assert.equal(typeof why, "string", address);
            assert.ok(!(why as string).includes(password), `the refusal echoes the password: ${String(why)}`);
            assert.throws(
                () => readHostSettings({ get: (k) => (k === "hyperv:host" ? address : undefined) }),
                (e: Error) => /hyperv:host/.test(e.message) && !e.message.includes(password),
            );
            assert.throws(
                () => {
                    configureSettings(readHostSettings({ get: () => undefined }));
                    return hostFor(address);
                },
                (e: Error) => /invalid host/.test(e.message) && !e.message.includes(password),
            );
        }
    });

    it("an unreachable winrm host", async () => {
        const pwsh = pwshOnPath();
        const host = createPowerShellHost(
            { kind: "winrm", computerName: "hv01", userName: "admin", password, shell: path.join(pwsh.dir, "pwsh") },
            { env: { ...process.env, HVCP_STANDIN_CONNECT_FAIL: "1" } },
        );
        try {
            await assert.rejects(host.getVm({ name: "web01" }), (e: Error) => /hv01 \(winrm\)/.test(e.message) && !e.message.includes(password));
            for (const start of pwsh.starts()) assertAbsent(password, start.argv + start.env, "the shell's arguments or environment");
        } finally {
            await host.dispose();
            fs.rmSync(pwsh.dir, { recursive: true, force: true });
        }
    });

    it("debug output (DEBUG=*) of the provider and every library it loads, while commands go to the shell", async () => {
        const pwsh = pwshOnPath();
        const script = [
            `const { createPowerShellHost } = require(${JSON.stringify(path.resolve(__dirname, "../../provider/powershell"))});`,
            `const target = { kind: "winrm", computerName: "hv01", userName: "admin", password: process.env.TEST_PASSWORD, shell: ${JSON.stringify(path.join(pwsh.dir, "pwsh"))} };`,
            "const host = createPowerShellHost(target);",
            "host.getVm({ name: 'web01' }).then(async () => {",
            "  console.log('answered');",
            "  await host.dispose();",
            "}, (e) => { console.log('failed: ' + e.message); process.exitCode = 1; });",
        ].join("\n");
        try {
            const run = spawnSync(process.execPath, ["-e", script], { env: { ...process.env, DEBUG: "*", TEST_PASSWORD: password }, encoding: "utf8" });
            const printed = `${run.stdout}\n${run.stderr}`;
            assert.equal(run.status, 0, printed);
            assert.match(printed, /answered/);
            assertAbsent(password, printed, "the debug output");
            // The session start carries the password inside base64 JSON: decode every base64 run too.
            for (const run64 of printed.match(/[A-Za-z0-9+/=]{16,}/g) ?? [])
                assertAbsent(password, Buffer.from(run64, "base64").toString("utf8"), "a base64 run of the debug output");
        } finally {
            fs.rmSync(pwsh.dir, { recursive: true, force: true });
        }
    });

    it("a host that times out", async () => {
        const pwsh = pwshOnPath();
        const host = createPowerShellHost({
            kind: "winrm",
            computerName: "hv01",
            userName: "admin",
            password,
            shell: path.join(pwsh.dir, "pwsh"),
            timeouts: { operationSeconds: 1, removalSeconds: 2, connectSeconds: 10 },
        });
        try {
            await assert.rejects(host.getVm({ name: "hang" }), (e: Error) => /did not finish/.test(e.message) && !e.message.includes(password));
        } finally {
            await host.dispose();
            fs.rmSync(pwsh.dir, { recursive: true, force: true });
        }
    });
});
