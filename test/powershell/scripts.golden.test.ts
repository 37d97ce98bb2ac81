import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { hyperVErrorIds } from "../../provider/powershell/error-records";
import { functionNameOf, moduleText } from "../../provider/powershell/module/module";
import { frameCall, frameModuleLoad, frameScript, frameSessionStart } from "../../provider/powershell/protocol";
import { encodeParameter, renderScript } from "../../provider/powershell/scripts";
import { remoteConnectParameters, powerShellTargetSchema } from "../../provider/powershell/target";
import { BENIGN, operations } from "./support/operations";

/** Goldens live in the source tree; UPDATE_GOLDEN=1 rewrites them. */
const goldenDir = resolve(__dirname, "../../../test/powershell/golden");
const update = process.env.UPDATE_GOLDEN === "1";

function checkGolden(name: string, actual: string): void {
    const file = join(goldenDir, name);
    if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, actual);
        return;
    }
    assert.ok(existsSync(file), `golden ${name} is missing: run the tests with UPDATE_GOLDEN=1 and review the new file`);
    assert.equal(
        actual,
        readFileSync(file, "utf8"),
        `${name} differs from its golden; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`,
    );
}

describe("operation scripts match their goldens", () => {
    for (const op of operations) {
        it(`renders the ${op.script.operation} script (${op.file})`, () => {
            checkGolden(`${op.file}.ps1`, renderScript(op.script, op.input(op.benign)));
        });
    }
});

describe("the HypervCheckpoints module", () => {
    it("matches its golden (loaded once per shell, or installed; not sent with each operation)", () => {
        checkGolden("HypervCheckpoints.psm1", moduleText);
    });

    it("holds the helpers, which no operation script carries", () => {
        assert.ok(moduleText.includes("function Get-HvcpVm"));
        for (const op of operations) {
            assert.ok(!renderScript(op.script, op.input(op.benign)).includes("function Get-HvcpVm"), `${op.file} carries the helpers`);
        }
    });

    it("can raise every error id of the port, BackupServiceMissing included", () => {
        for (const [code, id] of Object.entries(hyperVErrorIds)) assert.ok(moduleText.includes(`    ${code} = '${id}'\n`), `$HvcpErrorIds lacks ${code}`);
        assert.match(moduleText, /BackupServiceMissing = 'BackupServiceMissing,Microsoft\.HyperV\.PowerShell\.Commands\.EnableVMIntegrationService'/);
    });
});

describe("session commands match their goldens", () => {
    const op = operations[1]!;
    const call = { function: functionNameOf(op.script), payload: encodeParameter(op.input(BENIGN)) };

    it("calls an operation's function in the local shell as one line", () => {
        const line = frameCall(call, false);
        assert.ok(!line.includes("\n"), "a command is one stdin line");
        checkGolden("frame-local.ps1", `${line}\n`);
    });

    it("calls an operation's function in the remote session as one line, the same for uploaded and installed endpoints", () => {
        checkGolden("frame-remote.ps1", `${frameCall(call, true)}\n`);
        const leftBehind = [{ id: 4711, started: "639001234567890123" }];
        checkGolden("frame-remote-ending-left-behind.ps1", `${frameCall(call, true, leftBehind)}\n`);
    });

    it("runs a script that is no operation inside the module, in the local shell", () => {
        checkGolden("frame-script-local.ps1", `${frameScript(renderScript(op.script, op.input(BENIGN)), false)}\n`);
    });

    it("loads the module again in the local shell, from the text it keeps", () => {
        checkGolden("load-module-local.ps1", `${frameModuleLoad(false)}\n`);
    });

    it("loads the module again in the remote session, from the text the local shell keeps", () => {
        checkGolden("load-module-remote.ps1", `${frameModuleLoad(true)}\n`);
    });

    it("starts a local session", () => {
        checkGolden("start-local.ps1", `${frameSessionStart(null, 4242)}\n`);
    });

    it("starts an SSH session", () => {
        const target = powerShellTargetSchema.parse({ kind: "ssh", host: "hv01.example.com", userName: "svc-pulumi", keyFilePath: "/home/ci/.ssh/id_ed25519" });
        checkGolden("start-ssh.ps1", `${frameSessionStart(remoteConnectParameters(target), 4242)}\n`);
    });

    it("starts a WinRM session", () => {
        const target = powerShellTargetSchema.parse({
            kind: "winrm",
            computerName: "hv01",
            userName: "CORP\\svc-pulumi",
            password: "s3cret'pass",
            useSsl: true,
        });
        checkGolden("start-winrm.ps1", `${frameSessionStart(remoteConnectParameters(target), 4242)}\n`);
    });
});
