import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { hyperVErrorIds } from "../../provider/powershell/error-records";
import { frameInvocation, framePreludeDefinition, frameSessionStart } from "../../provider/powershell/protocol";
import { prelude, PRELUDE_VERSION } from "../../provider/powershell/scripts/prelude";
import { renderScript } from "../../provider/powershell/scripts";
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

describe("the prelude", () => {
    it("matches its golden (defined once per shell, not sent with each operation)", () => {
        checkGolden("prelude.ps1", prelude);
    });

    it("is not part of any operation script, which checks its version instead", () => {
        for (const op of operations) {
            const script = renderScript(op.script, op.input(op.benign));
            assert.ok(!script.includes("function Get-HvcpVm"), `${op.file} carries the prelude`);
            assert.match(script, new RegExp(`^if \\(\\$HvcpPreludeVersion -ne '${PRELUDE_VERSION}'\\)`, "m"));
        }
    });

    it("can raise every error id of the port, BackupServiceMissing included", () => {
        for (const [code, id] of Object.entries(hyperVErrorIds)) assert.ok(prelude.includes(`    ${code} = '${id}'\n`), `$HvcpErrorIds lacks ${code}`);
        assert.match(prelude, /BackupServiceMissing = 'BackupServiceMissing,Microsoft\.HyperV\.PowerShell\.Commands\.EnableVMIntegrationService'/);
    });
});

describe("session commands match their goldens", () => {
    const script = renderScript(operations[1]!.script, operations[1]!.input(BENIGN));

    it("runs a script in the local shell as one line", () => {
        const line = frameInvocation(script, false);
        assert.ok(!line.includes("\n"), "a command is one stdin line");
        checkGolden("frame-local.ps1", `${line}\n`);
    });

    it("runs a script in the remote session as one line", () => {
        checkGolden("frame-remote.ps1", `${frameInvocation(script, true)}\n`);
        const leftBehind = [{ id: 4711, started: "639001234567890123" }];
        checkGolden("frame-remote-ending-left-behind.ps1", `${frameInvocation(script, true, leftBehind)}\n`);
    });

    it("defines the prelude again in the local shell, from the text it keeps", () => {
        checkGolden("define-prelude-local.ps1", `${framePreludeDefinition(false)}\n`);
    });

    it("defines the prelude again in the remote session, from the text the local shell keeps", () => {
        checkGolden("define-prelude-remote.ps1", `${framePreludeDefinition(true)}\n`);
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
