import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { isHostError } from "../../provider/host";
import { addVm, readLab } from "../../provider/lab";
import { MODULE_DIGEST, MODULE_FUNCTIONS, MODULE_VERSION } from "../../provider/powershell/module/module";
import { readVmScript, renderScript } from "../../provider/powershell/scripts";
import { encodeParameter } from "../../provider/powershell/scripts/render";
import { freshLab, removeLabs } from "../lab/helpers";
import { RealShells } from "./support/real-shells";

/*
 * The restricted endpoint made from the generated files (npx hyperv-checkpoints endpoint), served by
 * the loopback sshd: what it refuses, each with its own assertion, and how the provider meets it.
 * One PowerShell process opens one session to it and tries everything (the answers are shared by
 * the `it`s below): a session per attempt would cost a pwsh start each.
 */

const shells = new RealShells();
const execFileAsync = promisify(execFile);

/** What the restricted session answered to one command text: its output, or the error's id. */
interface Attempt {
    ok: boolean;
    output: string;
    errorId: string;
}

/** Opens one session on `port` and runs each text in it as a script block; prints the answers as JSON. */
const tryEach = String.raw`param([string]$Port, [string]$User, [string]$Key, [string]$KnownHosts, [string]$Texts)
$ErrorActionPreference = 'Stop'
$s = New-PSSession -HostName 127.0.0.1 -Port ([int]$Port) -UserName $User -KeyFilePath $Key -Options @{ BatchMode = 'yes'; UserKnownHostsFile = $KnownHosts }
$answers = [ordered]@{}
foreach ($entry in (Get-Content -Raw -LiteralPath $Texts | ConvertFrom-Json).PSObject.Properties) {
    try {
        $output = @(Invoke-Command -Session $s -ScriptBlock ([scriptblock]::Create([string]$entry.Value)) -ErrorAction Stop) -join [char]10
        $answers[$entry.Name] = [ordered]@{ ok = $true; output = $output; errorId = '' }
    } catch {
        $answers[$entry.Name] = [ordered]@{ ok = $false; output = ''; errorId = [string]$_.FullyQualifiedErrorId }
    }
}
Remove-PSSession $s
ConvertTo-Json -Compress -InputObject $answers`;

describe("the restricted endpoint made from the generated files", function () {
    this.timeout(180_000);
    shells.hooks(["pwsh-ssh-restricted"], removeLabs);

    let folder = "";
    let vmId = "";
    let answers: Record<string, Attempt> = {};

    before(async () => {
        ({ folder } = await freshLab());
        shells.useLab(folder);
        vmId = (await addVm(folder, { name: "web01", state: "Running" })).id;
        const literal = encodeParameter({ id: vmId, includeCheckpoints: false });
        const texts: Record<string, string> = {
            functionWithLiteral: `Invoke-HvcpReadVM -Payload '${literal}'`,
            providerScript: renderScript(readVmScript, { id: vmId, includeCheckpoints: false }),
            statement: "$x = 1; $x",
            removeVm: "Remove-VM -Name web01 -Force",
            stopVm: "Stop-VM -Name web01 -Force",
            removeCheckpoint: "Remove-VMSnapshot -VMName web01 -Name first",
            getChildItem: "Get-ChildItem -Path /",
            setVm: "Set-VM -Name web01 -ProcessorCount 4",
            invokeExpression: "Invoke-Expression -Command 'Get-ChildItem'",
            startProcess: "Start-Process -FilePath /bin/sh",
            scriptblockCreate: "[scriptblock]::Create('Get-ChildItem')",
            variableArgument: "Invoke-HvcpReadVM -Payload $payload",
            visibleCommands: "Get-Command",
        };
        const dir = mkdtempSync(join(tmpdir(), "hvcp-endpoint-"));
        writeFileSync(join(dir, "texts.json"), JSON.stringify(texts));
        writeFileSync(join(dir, "try-each.ps1"), tryEach);
        const sshd = shells.sshd!;
        const { stdout } = await execFileAsync(
            shells.pwsh,
            [
                "-NoProfile",
                "-NonInteractive",
                "-File",
                join(dir, "try-each.ps1"),
                String(sshd.restrictedPort),
                sshd.user,
                sshd.clientKey,
                sshd.knownHosts,
                join(dir, "texts.json"),
            ],
            { env: shells.env() },
        );
        answers = JSON.parse(stdout.slice(stdout.indexOf("{"))) as Record<string, Attempt>;
    });

    function refused(name: string, errorId: string): void {
        const answer = answers[name];
        assert.ok(answer, `no answer for ${name}`);
        assert.equal(answer.ok, false, `${name} ran: ${answer.output}`);
        assert.ok(answer.errorId.startsWith(errorId), `${name} was refused with ${answer.errorId}, not ${errorId}`);
    }

    it("runs a module function called with its literal payload (the same session refuses everything below)", () => {
        const answer = answers.functionWithLiteral!;
        assert.equal(answer.ok, true, answer.errorId);
        assert.equal((JSON.parse(answer.output) as { ok: { vm: { id: string } } }).ok.vm.id, vmId);
    });

    it("refuses the provider's own script sent as text", () => refused("providerScript", "ScriptsNotAllowed"));
    it("refuses any statement that is not a command with literal arguments", () => refused("statement", "ScriptsNotAllowed"));
    it("refuses Remove-VM", () => refused("removeVm", "CommandNotFoundException"));
    it("refuses Stop-VM", () => refused("stopVm", "CommandNotFoundException"));
    it("refuses the Hyper-V cmdlets the module itself calls, such as Remove-VMSnapshot", () => refused("removeCheckpoint", "CommandNotFoundException"));
    it("refuses Get-ChildItem", () => refused("getChildItem", "CommandNotFoundException"));
    it("refuses Set-VM with parameters that are not checkpoint settings", () => refused("setVm", "CommandNotFoundException"));
    it("refuses Invoke-Expression", () => refused("invokeExpression", "CommandNotFoundException"));
    it("refuses Start-Process", () => refused("startProcess", "CommandNotFoundException"));
    it("refuses [scriptblock]::Create", () => refused("scriptblockCreate", "ScriptsNotAllowed"));
    it("refuses a module function called with a variable argument", () => refused("variableArgument", "ScriptsNotAllowed"));

    it("shows the module's functions and only the few cmdlets a remote session itself needs", () => {
        const visible = answers.visibleCommands!.output.split("\n").filter(Boolean).sort();
        const session = ["Clear-Host", "Exit-PSSession", "Get-Command", "Get-FormatData", "Get-Help", "Measure-Object", "Out-Default", "Select-Object"];
        assert.deepEqual(visible, [...MODULE_FUNCTIONS, ...session].sort());
    });

    it("changed nothing on the host while refusing", () => {
        const vm = readLab(folder).vms.find((v) => v.id === vmId);
        assert.equal(vm?.state, "Running");
        assert.equal(readLab(folder).checkpoints.length, 0);
    });

    it("is recognised at session start in uploaded mode, before any script text is sent, with the setting to use", async () => {
        const host = shells.hostOn(shells.target("pwsh-ssh-restricted", { fresh: true, endpoint: "uploaded" }), folder);
        const error = await host.getVm({ id: vmId }).then(
            () => assert.fail("the restricted endpoint served uploaded scripts"),
            (e: unknown) => e,
        );
        assert.ok(isHostError(error, "UnsupportedShell"), String(error));
        // Had the module been sent first, NoLanguage would have refused it as ScriptsNotAllowed.
        assert.match(error.message, /the endpoint is restricted: it runs no script text/);
        assert.match(error.message, /pulumi config set hyperv:endpoint installed/);
    });

    it("refuses an installed module of another version at session start, naming both, with the command that upgrades it", async () => {
        const target = shells.target("pwsh-ssh-restricted", { fresh: true });
        assert.ok(target.kind === "ssh");
        const host = shells.hostOn({ ...target, port: shells.sshd!.staleEndpointPort }, folder);
        const error = await host.getVm({ id: vmId }).then(
            () => assert.fail("an endpoint with another module version served the provider"),
            (e: unknown) => e,
        );
        assert.ok(isHostError(error, "UnsupportedShell"), String(error));
        assert.match(
            error.message,
            new RegExp(
                `runs HypervCheckpoints 0\\.0\\.1 \\(0000000000000000\\), and this provider needs HypervCheckpoints ${MODULE_VERSION.replace(/\./g, "\\.")} \\(${MODULE_DIGEST}\\)`,
            ),
        );
        assert.match(error.message, /Copy-Item -Recurse -Force hvcp-endpoint\\HypervCheckpoints/);
        assert.equal(readLab(folder).checkpoints.length, 0);
    });

    it("names the functions an endpoint lacks: a full endpoint without the module, in installed mode", async () => {
        const host = shells.hostOn(shells.target("pwsh-ssh", { fresh: true, endpoint: "installed" }), folder);
        const error = await host.getVm({ id: vmId }).then(
            () => assert.fail("an endpoint without the module served installed calls"),
            (e: unknown) => e,
        );
        assert.ok(isHostError(error, "UnsupportedShell"), String(error));
        assert.match(error.message, /offers none of HypervCheckpoints's functions \(Get-HvcpEndpoint, Stop-HvcpLeftBehind, Invoke-HvcpReadHostCapabilities/);
        assert.match(error.message, /npx hyperv-checkpoints@\S+ endpoint hvcp-endpoint/);
    });
});
