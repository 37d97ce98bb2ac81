import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isHostError } from "../../provider/host/errors";
import { createPowerShellHost } from "../../provider/powershell";
import { moduleText } from "../../provider/powershell/module/module";
import { renderScript } from "../../provider/powershell/scripts";
import { readVmScript } from "../../provider/powershell/scripts";
import { sessionFor } from "../../provider/powershell/sessions";
import { ShellPool } from "../../provider/powershell/shell-pool";
import { powerShellTargetSchema, type PowerShellTargetInput } from "../../provider/powershell/target";
import { standInShell } from "./support/stand-in";

const read = (name: string) => renderScript(readVmScript, { name, includeCheckpoints: false });
const reading = { operation: "read VM", readOnly: true };

describe("the pool of PowerShell shells, against a stand-in shell", function () {
    this.timeout(30_000);
    let standIn: ReturnType<typeof standInShell>;
    let env: NodeJS.ProcessEnv;
    const sessions: ShellPool[] = [];

    function open(extra: Partial<PowerShellTargetInput> = {}): ShellPool {
        const target = powerShellTargetSchema.parse({
            kind: "local",
            shell: standIn.executable,
            timeouts: { operationSeconds: 3, removalSeconds: 10, connectSeconds: 10 },
            ...extra,
        });
        const session = new ShellPool(target, env);
        sessions.push(session);
        return session;
    }

    function logged(): string[] {
        try {
            return readFileSync(standIn.log, "utf8").trim().split("\n").filter(Boolean);
        } catch {
            return [];
        }
    }

    /** The shells (sessions) started: each a runspace in the pool's one process. */
    const shellsStarted = () => logged().filter((l) => / open \d+$/.test(l));
    /** The PowerShell processes started. */
    const processesStarted = () => logged().filter((l) => !/ open \d+$/.test(l));

    beforeEach(() => {
        standIn = standInShell();
        env = { ...process.env, HVCP_STANDIN_LOG: standIn.log, HVCP_STANDIN_STATE: standIn.dir };
        delete env.NODE_POWERSHELL;
    });

    afterEach(async () => {
        await Promise.all(sessions.splice(0).map((s) => s.dispose()));
    });

    it("starts the shell on first use, with -NoProfile -NonInteractive and the session host's loop (which reads commands from stdin)", async () => {
        const session = open();
        assert.equal(shellsStarted().length, 0, "nothing starts before the first call");
        const result = JSON.parse(await session.invoke(read("web-01"), reading));
        assert.equal(result.ok.vm.name, "web-01");
        const [line] = processesStarted();
        assert.match(line!, /-NoLogo -NoProfile -NonInteractive -EncodedCommand [A-Za-z0-9+/=]+$/);
    });

    it("sends each operation as its function's call with one literal payload, and the module's text once, at session start", async () => {
        const lines = join(standIn.dir, "lines.log");
        env.HVCP_STANDIN_LINES = lines;
        const host = createPowerShellHost({ kind: "local", shell: standIn.executable }, { env });
        try {
            await host.getVm({ name: "web-01" });
            await host.getVm({ name: "web-02" });
        } finally {
            await host.dispose();
        }
        const sent = readFileSync(lines, "utf8")
            .split("\n")
            .filter((line) => line.startsWith("$ProgressPreference") || line.startsWith("try {"));
        assert.equal(sent.length, 3, sent.join("\n"));
        assert.ok(
            sent[0]!.startsWith("$ProgressPreference") && sent[0]!.includes(Buffer.from(moduleText, "utf8").toString("base64")),
            "the session start carries the module",
        );
        for (const line of sent.slice(1)) {
            assert.match(line, /^try \{ \$HvcpOut = @\(Invoke-HvcpReadVM -Payload '[A-Za-z0-9+/=]+'\) -join \[char\]10 \}/);
            assert.ok(!line.includes("scriptblock"), `script text sent: ${line.slice(0, 120)}`);
        }
    });

    it("reuses one shell for calls one after another, however many it may start", async () => {
        const session = open({ maxSessions: 4 });
        for (const name of ["a", "b", "c"]) await session.invoke(read(name), reading);
        assert.equal(shellsStarted().length, 1);
    });

    it("with maxSessions 1, queues concurrent calls on one shell and answers each with its own result, in order", async () => {
        const session = open({ maxSessions: 1 });
        const names = ["slow:300", "b", "slow:100", "d"];
        const finished: string[] = [];
        const results = await Promise.all(
            names.map(async (n) => {
                const r = JSON.parse(await session.invoke(read(n), reading));
                finished.push(r.ok.vm.name);
                return r.ok.vm.name;
            }),
        );
        assert.deepEqual(results, names);
        assert.deepEqual(finished, names, "one command at a time, first come first served");
        assert.equal(shellsStarted().length, 1);
    });

    it("runs calls side by side: a quick call answers while a slow one is still running", async () => {
        const session = open({ maxSessions: 2 });
        const finished: string[] = [];
        const track = (name: string) => session.invoke(read(name), reading).then((text) => finished.push(JSON.parse(text).ok.vm.name));
        await Promise.all([track("slow:1500"), track("quick")]);
        assert.deepEqual(finished, ["quick", "slow:1500"]);
        assert.equal(shellsStarted().length, 2);
    });

    it("starts no more than maxSessions shells under a burst, and reuses them", async () => {
        const session = open({ maxSessions: 3 });
        const names = Array.from({ length: 12 }, (_, i) => `slow:${100 + 20 * i}`);
        const results = await Promise.all(names.map(async (n) => JSON.parse(await session.invoke(read(n), reading)).ok.vm.name));
        assert.deepEqual(results, names, "each call gets its own answer");
        assert.equal(shellsStarted().length, 3);
        await Promise.all(names.slice(0, 3).map((n) => session.invoke(read(n), reading)));
        assert.equal(shellsStarted().length, 3, "a later burst reuses the shells");
        assert.equal(processesStarted().length, 1, "the shells are sessions in one PowerShell process: its runtime starts once");
    });

    it("starts a second shell only when the first is busy", async () => {
        const session = open({ maxSessions: 4 });
        await Promise.all([session.invoke(read("slow:300"), reading), session.invoke(read("slow:300"), reading)]);
        assert.equal(shellsStarted().length, 2);
    });

    it("a shell that crashes fails only its own call: the call on the other shell answers", async () => {
        const session = open({ maxSessions: 2 });
        const slow = session.invoke(read("slow:1500"), reading);
        await assert.rejects(session.invoke(read("crash"), { operation: "take checkpoint", readOnly: false }), (e: unknown) =>
            isHostError(e, "HostUnreachable"),
        );
        assert.equal(JSON.parse(await slow).ok.vm.name, "slow:1500");
    });

    it("a timeout stops only the shell that hung: the call on the other shell answers", async () => {
        const session = open({ maxSessions: 2, timeouts: { operationSeconds: 1, removalSeconds: 10, connectSeconds: 10 } });
        const hung = session.invoke(read("hang"), reading);
        const other = session.invoke(read("slow:1500"), { ...reading, timeoutMs: 5000 });
        await assert.rejects(hung, (e: unknown) => isHostError(e, "HostTimeout"));
        assert.equal(JSON.parse(await other).ok.vm.name, "slow:1500");
    });

    it("a timed-out call that does not stop kills the shared process: a read in flight in another shell is run again and answers", async () => {
        // The stand-in's "hang" ignores a stop, like a cmdlet that never yields: after the grace
        // the process is killed, and the read running beside it ends as in a killed shell.
        const session = open({ maxSessions: 2, timeouts: { operationSeconds: 1, removalSeconds: 10, connectSeconds: 10 } });
        const hung = session.invoke(read("hang"), reading);
        const other = session.invoke(read("slow:5000"), { ...reading, timeoutMs: 15_000 });
        await assert.rejects(hung, (e: unknown) => isHostError(e, "HostTimeout"));
        assert.equal(JSON.parse(await other).ok.vm.name, "slow:5000");
        assert.equal(processesStarted().length, 2, "killed after the grace, then a new process for the read's second run");
    });

    it("fails calls still waiting for a shell when the pool is disposed", async () => {
        const session = open({ maxSessions: 1 });
        const running = session.invoke(read("slow:500"), reading);
        const waiting = session.invoke(read("never"), reading);
        await session.dispose();
        await assert.rejects(waiting, (e: unknown) => isHostError(e, "HostUnreachable") && /disposed before read VM/.test(e.message));
        await running.catch(() => undefined);
    });

    it("a read cut off by dispose fails and starts no shell again", async () => {
        const session = open({ maxSessions: 1 });
        const running = session.invoke(read("slow:2000"), reading);
        while (shellsStarted().length === 0) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 500));
        await session.dispose();
        await assert.rejects(running, (e: unknown) => isHostError(e, "HostUnreachable"));
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(shellsStarted().length, 1);
    });

    it("ignores warnings on stdout and errors on stderr around the result", async () => {
        const session = open();
        const result = JSON.parse(await session.invoke(read("quiet"), reading));
        assert.equal(result.ok.vm.name, "quiet");
    });

    it("carries non-ASCII names both ways intact", async () => {
        const session = open();
        const name = "バックアップ (ボリューム チェックポイント) – Ünïcødé 🚀";
        const result = JSON.parse(await session.invoke(read(name), reading));
        assert.equal(result.ok.vm.name, name);
    });

    it("reads a large output completely", async () => {
        const session = open();
        const text = await session.invoke(read("big"), reading);
        assert.ok(text.length > 500_000, `only ${text.length} characters`);
        const drives = JSON.parse(text).ok.vm.hardDrives as string[];
        assert.equal(drives.length, 4000);
        assert.match(drives[3999]!, /ディスク 3999/);
    });

    it("stops a hung command with a HostTimeout naming the operation, then starts a fresh shell", async () => {
        const session = open({ timeouts: { operationSeconds: 1, removalSeconds: 10, connectSeconds: 10 } });
        await assert.rejects(session.invoke(read("hang"), reading), (e: unknown) => {
            assert.ok(isHostError(e, "HostTimeout"), String(e));
            assert.match(e.message, /read VM did not finish within 1 s/);
            assert.match(e.message, /localhost/);
            return true;
        });
        const result = JSON.parse(await session.invoke(read("after"), reading));
        assert.equal(result.ok.vm.name, "after");
        assert.equal(shellsStarted().length, 2);
    });

    it("gives the removal its own, longer timeout", async () => {
        const session = open({ timeouts: { operationSeconds: 1, removalSeconds: 10, connectSeconds: 10 } });
        const result = JSON.parse(await session.invoke(read("slow:1500"), { ...reading, timeoutMs: 5000 }));
        assert.equal(result.ok.vm.name, "slow:1500");
    });

    it("restarts a crashed shell once and re-runs a read", async () => {
        const session = open();
        const result = JSON.parse(await session.invoke(read("crash-once"), reading));
        assert.equal(result.ok.vm.name, "crash-once");
        assert.equal(shellsStarted().length, 2);
    });

    it("reports a shell that crashes again after its restart as HostUnreachable", async () => {
        const session = open();
        await assert.rejects(session.invoke(read("crash"), reading), (e: unknown) => {
            assert.ok(isHostError(e, "HostUnreachable"), String(e));
            assert.match(e.message, /exited during read VM, and again after a restart/);
            return true;
        });
        assert.equal(shellsStarted().length, 2, "restarted exactly once");
    });

    it("never re-runs a mutation after a crash, and says it may have happened", async () => {
        const session = open();
        await assert.rejects(session.invoke(read("crash"), { operation: "take checkpoint", readOnly: false }), (e: unknown) => {
            assert.ok(isHostError(e, "HostUnreachable"), String(e));
            assert.match(e.message, /may or may not have completed/);
            return true;
        });
        assert.equal(shellsStarted().length, 1);
    });

    it("reports a shell that cannot be started as HostUnreachable naming the executable", async () => {
        const session = open({ shell: "/nonexistent/pwsh" });
        await assert.rejects(session.invoke(read("x"), reading), (e: unknown) => {
            assert.ok(isHostError(e, "HostUnreachable"), String(e));
            assert.match(e.message, /\/nonexistent\/pwsh/);
            assert.match(e.message, /`pulumi config set hyperv:shell pwsh`/, "names the setting as the user types it");
            return true;
        });
    });

    it("reports a failed remote connection with the classified error", async () => {
        env.HVCP_STANDIN_CONNECT_FAIL = "1";
        const session = open();
        await assert.rejects(session.invoke(read("x"), reading), (e: unknown) => isHostError(e, "HostUnreachable"));
    });

    it("shares one session per target in a process, and stops its shells when the last host lets go", async () => {
        const target = { kind: "local" as const, shell: standIn.executable };
        const a = sessionFor(powerShellTargetSchema.parse(target), env);
        const b = sessionFor(powerShellTargetSchema.parse(target), env);
        assert.equal(a, b);
        const first = createPowerShellHost(target, { env });
        const second = createPowerShellHost(target, { env });
        await first.getVm({ name: "one" });
        await second.getVm({ name: "two" });
        assert.equal(shellsStarted().length, 1, "one shell for both hosts when their calls do not overlap");
        await Promise.all([first.getVm({ name: "slow:300" }), second.getVm({ name: "slow:300" })]);
        assert.equal(shellsStarted().length, 2, "overlapping calls of two hosts share the one pool");
        await first.dispose();
        assert.equal((await second.getVm({ name: "still" })).name, "still");
        await second.dispose();
        assert.notEqual(sessionFor(powerShellTargetSchema.parse(target), env), a, "a disposed session is not handed out again");
        await sessionFor(powerShellTargetSchema.parse(target), env).dispose();
    });
});
