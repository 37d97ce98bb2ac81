import assert from "node:assert/strict";
import { frameSessionStart } from "../../provider/powershell/protocol";
import { resolveShellExecutable } from "../../provider/powershell/shell-executable";
import { DEFAULT_MAX_SESSIONS, MAX_SESSIONS_LIMIT, readHostSettings } from "../../provider/config";
import { describeTarget, powerShellTargetSchema, remoteConnectParameters, targetKey } from "../../provider/powershell/target";

const winrm = powerShellTargetSchema.parse({ kind: "winrm", computerName: "hv01", userName: "CORP\\svc", password: "Pa55-word!" });

describe("target settings", () => {
    it("fills in the timeouts the stack's settings default to (README: merge 1800 s), removal longest", () => {
        const local = powerShellTargetSchema.parse({ kind: "local" });
        assert.deepEqual(local.timeouts, { operationSeconds: 120, removalSeconds: 1800, connectSeconds: 60 });
        const stack = readHostSettings({ get: (k) => (k === "hyperv:host" ? "local" : undefined) });
        assert.equal(local.timeouts.operationSeconds, stack.timeoutSeconds);
        assert.equal(local.timeouts.removalSeconds, stack.mergeTimeoutSeconds);
    });

    it("runs the default number of shells side by side, and shares one session whatever the number", () => {
        const local = powerShellTargetSchema.parse({ kind: "local" });
        assert.equal(local.maxSessions, DEFAULT_MAX_SESSIONS);
        assert.equal(targetKey(local), targetKey(powerShellTargetSchema.parse({ kind: "local", maxSessions: 8 })));
        for (const wrong of [0, 1.5, MAX_SESSIONS_LIMIT + 1])
            assert.equal(powerShellTargetSchema.safeParse({ kind: "local", maxSessions: wrong }).success, false, String(wrong));
    });

    it("refuses an SSH target without a user", () => {
        assert.equal(powerShellTargetSchema.safeParse({ kind: "ssh", host: "hv01" }).success, false);
    });

    it("never shows the password in messages, session keys or the session start command", () => {
        assert.ok(!describeTarget(winrm).includes("Pa55"));
        assert.ok(!targetKey(winrm).includes("Pa55"));
        assert.ok(!frameSessionStart(remoteConnectParameters(winrm), 4242).includes("Pa55"));
    });

    it("gives a changed password a new session", () => {
        assert.notEqual(targetKey(winrm), targetKey(powerShellTargetSchema.parse({ ...winrm, password: "other" })));
    });

    it("passes SSH connection settings as New-PSSession parameters", () => {
        const ssh = powerShellTargetSchema.parse({ kind: "ssh", host: "hv01", userName: "svc", keyFilePath: "/k", port: 2222 });
        assert.deepEqual(remoteConnectParameters(ssh), {
            kind: "ssh",
            HostName: "hv01",
            UserName: "svc",
            KeyFilePath: "/k",
            Port: 2222,
            Options: { BatchMode: "yes" },
        });
        assert.equal(describeTarget(ssh), "svc@hv01:2222 (ssh)");
    });
});

describe("choosing the shell", () => {
    const local = powerShellTargetSchema.parse({ kind: "local" });
    it("uses the configured shell", () => {
        assert.equal(resolveShellExecutable({ ...local, shell: "C:\\pwsh\\pwsh.exe" }, "win32"), "C:\\pwsh\\pwsh.exe");
    });
    it("uses Windows PowerShell 5.1 on a Windows host, even where PowerShell 7 is installed: it has Hyper-V's module natively on every release", () => {
        assert.equal(resolveShellExecutable(local, "win32", {}), "powershell");
        assert.equal(resolveShellExecutable(powerShellTargetSchema.parse({ kind: "winrm", computerName: "hv01" }), "win32", {}), "powershell");
    });
    it("needs PowerShell 7 for SSH remoting, even on Windows", () => {
        const ssh = powerShellTargetSchema.parse({ kind: "ssh", host: "h", userName: "u" });
        assert.equal(resolveShellExecutable(ssh, "win32", {}), "pwsh");
    });
    it("uses pwsh on Linux and macOS", () => {
        assert.equal(resolveShellExecutable(local, "linux", {}), "pwsh");
    });
    it("lets NODE_POWERSHELL name the shell only when hyperv:shell does not", () => {
        const env = { NODE_POWERSHELL: "/opt/powershell/pwsh" };
        assert.equal(resolveShellExecutable({ ...local, shell: "pwsh" }, "linux", env), "pwsh");
        assert.equal(resolveShellExecutable(local, "linux", env), "/opt/powershell/pwsh");
    });
});
