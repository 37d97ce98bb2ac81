import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { isHostError } from "../../provider/host/errors";
import { createPowerShellHost } from "../../provider/powershell";
import * as out from "../powershell/fixtures/outputs";
import { RecordingTransport } from "../powershell/support/recording-transport";
import { pwshOnPath } from "./support/pwsh-on-path";

/*
 * Host faults through the whole PowerShell host (PowerShellHost over a real session on a stand-in
 * shell): one clear error per fault, a bounded number of shell starts (no retry storm), and the
 * next operation works once the fault is gone. test/powershell/session.test.ts covers the session
 * alone (timeout, crash and restart, start failure); this adds what a user sees through the port.
 */
describe("host faults through the PowerShell host", function () {
    this.timeout(120_000);
    let pwsh: ReturnType<typeof pwshOnPath>;
    let env: NodeJS.ProcessEnv;
    const timeouts = { operationSeconds: 1, removalSeconds: 2, connectSeconds: 5 };

    beforeEach(() => {
        pwsh = pwshOnPath();
        env = { ...process.env, HVCP_STANDIN_STATE: pwsh.dir };
        delete env.NODE_POWERSHELL;
    });
    afterEach(() => fs.rmSync(pwsh.dir, { recursive: true, force: true }));

    const open = () =>
        createPowerShellHost({ kind: "winrm", computerName: "hv01", userName: "admin", password: "pw", shell: path.join(pwsh.dir, "pwsh"), timeouts }, { env });

    it("an unreachable host: one HostUnreachable per operation, one session each in one PowerShell, and the next operation connects once it is back", async () => {
        // The host is unreachable while this file exists: it comes back under the same PowerShell.
        const unreachable = path.join(pwsh.dir, "unreachable");
        fs.writeFileSync(unreachable, "");
        env.HVCP_STANDIN_CONNECT_FAIL = unreachable;
        // The stand-in logs each session its process opens (shell-host.ts: sessions are runspaces).
        env.HVCP_STANDIN_LOG = path.join(pwsh.dir, "sessions.log");
        const sessions = () =>
            fs.existsSync(env.HVCP_STANDIN_LOG!)
                ? fs
                      .readFileSync(env.HVCP_STANDIN_LOG!, "utf8")
                      .split("\n")
                      .filter((l) => / open \d+$/.test(l)).length
                : 0;
        const host = open();
        try {
            for (let i = 0; i < 3; i++) {
                await assert.rejects(host.getVm({ name: "web01" }), (e: unknown) => {
                    assert.ok(isHostError(e, "HostUnreachable"), String(e));
                    assert.match((e as Error).message, /hv01 \(winrm\)/);
                    assert.match((e as Error).message, /Connecting to remote server failed/);
                    return true;
                });
            }
            assert.equal(sessions(), 3, "one session per failed operation, no retries");
            assert.equal(pwsh.starts().length, 1, "PowerShell started once: a refused session leaves the process for the next");
            fs.rmSync(unreachable);
            assert.equal((await host.getVm({ name: "web01" })).name, "web01");
            assert.equal((await host.getVm({ name: "web02" })).name, "web02");
            assert.equal(sessions(), 4, "one more session, kept for the next operations");
            assert.equal(pwsh.starts().length, 1);
        } finally {
            await host.dispose();
        }
    });

    it("a host that stops answering: one HostTimeout, one fresh shell for the next operation", async () => {
        const host = open();
        try {
            await assert.rejects(
                host.getVm({ name: "hang" }),
                (e: unknown) => isHostError(e, "HostTimeout") && /did not finish within 1 s/.test((e as Error).message),
            );
            assert.equal((await host.getVm({ name: "after" })).name, "after");
            assert.equal(pwsh.starts().length, 2);
        } finally {
            await host.dispose();
        }
    });

    it("a session that dies during a read: restarted once, the read answered", async () => {
        const host = open();
        try {
            assert.equal((await host.getVm({ name: "crash-once" })).name, "crash-once");
            assert.equal(pwsh.starts().length, 2);
        } finally {
            await host.dispose();
        }
    });

    it("a session that keeps dying: one HostUnreachable after a single restart, then the next operation works", async () => {
        const host = open();
        try {
            await assert.rejects(
                host.getVm({ name: "crash" }),
                (e: unknown) => isHostError(e, "HostUnreachable") && /again after a restart/.test((e as Error).message),
            );
            assert.equal(pwsh.starts().length, 2, "no retry storm");
            assert.equal((await host.getVm({ name: "fine" })).name, "fine");
            assert.equal(pwsh.starts().length, 3);
        } finally {
            await host.dispose();
        }
    });

    it("a session that dies while taking a checkpoint: not re-run, and the error says how to find an orphan", async () => {
        const host = open();
        try {
            const vm = await host.getVm({ name: "web01" });
            await assert.rejects(host.takeCheckpoint({ id: vm.id }, { name: "crash" }), (e: unknown) => {
                assert.ok(isHostError(e, "HostUnreachable"), String(e));
                assert.match((e as Error).message, /may or may not have completed/);
                assert.match((e as Error).message, /adoptId/);
                return true;
            });
            assert.equal(pwsh.starts().length, 1, "a mutation is never re-run");
            assert.equal((await host.getVm({ name: "web01" })).name, "web01");
        } finally {
            await host.dispose();
        }
    });

    it("access denied: one AccessDenied naming the fix, no retry, and the next operation goes through", async () => {
        let denied = true;
        const transport = new RecordingTransport((operation) => {
            if (denied) return JSON.parse(out.errorEnvelopes.accessDenied);
            return operation === "read host capabilities" ? JSON.parse(out.ps7Capabilities) : JSON.parse(out.ps7ReadVmWithCheckpoints);
        });
        const host = createPowerShellHost({ kind: "local", timeouts }, { transport });
        await assert.rejects(host.getVm({ name: "web01" }), (e: unknown) => {
            assert.ok(isHostError(e, "AccessDenied"), String(e));
            assert.match((e as Error).message, /Hyper-V Administrators/);
            return true;
        });
        assert.equal(transport.invocations.length, 1, "asked once");
        denied = false;
        await host.getVm({ name: "web01" });
        assert.equal(transport.invocations.length, 2);
    });
});
