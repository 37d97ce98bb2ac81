import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { addVm, readLab } from "../../provider/lab";
import { ENDPOINT_DEFAULTS, JEA_CONFIGURATION_FILE, MODULE_FOLDER, SSH_CONFIGURATION_FILE } from "../../provider/powershell/endpoint/files";
import { writeEndpointFiles } from "../../provider/powershell/endpoint/write";
import { MODULE_FUNCTIONS, MODULE_NAME, MODULE_VERSION } from "../../provider/powershell/module/module";
import { encodeParameter } from "../../provider/powershell/scripts/render";
import { freshLab, removeLabs } from "../lab/helpers";
import { RealShells } from "./support/real-shells";

/*
 * The generated files as PowerShell reads them, for what can be checked off Windows: each parses,
 * names only the module's functions, and the JEA session configuration (with its role capability,
 * found in the module as JEA finds it) builds a NoLanguage session, through
 * InitialSessionState.CreateFromSessionConfigurationFile, that runs the operations against the
 * stand-in. One pwsh process checks all of it.
 */

const shells = new RealShells();
const execFileAsync = promisify(execFile);

const check = String.raw`param([string]$Root, [string]$ReadPayload, [string]$TakePayload)
$ErrorActionPreference = 'Stop'
$data = [ordered]@{}
$data.manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $Root '${MODULE_FOLDER}/${MODULE_NAME}.psd1')
$data.role = Import-PowerShellDataFile -LiteralPath (Join-Path $Root '${MODULE_FOLDER}/RoleCapabilities/${MODULE_NAME}.psrc')
$data.ssh = Import-PowerShellDataFile -LiteralPath (Join-Path $Root '${SSH_CONFIGURATION_FILE}')
$data.jea = Import-PowerShellDataFile -LiteralPath (Join-Path $Root '${JEA_CONFIGURATION_FILE}')
$iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateFromSessionConfigurationFile((Join-Path $Root '${JEA_CONFIGURATION_FILE}'), [Func[string, bool]] { param($group) $true })
$runspace = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]$iss)
$runspace.Open()
$data.languageMode = $runspace.SessionStateProxy.LanguageMode.ToString()
function Invoke-In([string]$Command, [hashtable]$Parameters) {
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddCommand($Command)
    foreach ($key in $Parameters.Keys) { $null = $ps.AddParameter($key, $Parameters[$key]) }
    $out = @($ps.Invoke()) -join [char]10
    if ($ps.HadErrors) { return 'error: ' + $ps.Streams.Error[0].FullyQualifiedErrorId }
    $out
}
$ps = [powershell]::Create(); $ps.Runspace = $runspace; $data.visible = @($ps.AddCommand('Get-Command').Invoke() | ForEach-Object { [string]$_.Name })
$data.read = Invoke-In 'Invoke-HvcpReadVM' @{ Payload = $ReadPayload }
$data.take = Invoke-In 'Invoke-HvcpTakeCheckpoint' @{ Payload = $TakePayload }
$ps = [powershell]::Create(); $ps.Runspace = $runspace
try { $null = $ps.AddScript('Get-ChildItem /').Invoke(); $data.script = 'ran' } catch { $data.script = [string]$_.Exception.InnerException.GetType().Name + ': ' + $_.Exception.Message }
$runspace.Close()
ConvertTo-Json -Depth 6 -Compress -InputObject $data`;

interface Checked {
    manifest: { ModuleVersion: string; FunctionsToExport: string[]; RequiredModules: string[] };
    role: { ModulesToImport: string; VisibleFunctions: string[] };
    ssh: { SessionType: string; LanguageMode: string; ModulesToImport: string; VisibleFunctions: string[] };
    jea: { SessionType: string; LanguageMode: string; RunAsVirtualAccount: boolean; RoleDefinitions: Record<string, { RoleCapabilities: string }> };
    languageMode: string;
    visible: string[];
    read: string;
    take: string;
    script: string;
}

describe("the generated endpoint files", function () {
    this.timeout(180_000);
    shells.hooks(["pwsh-local"], removeLabs);

    let folder = "";
    let vmId = "";
    let checked: Checked;

    before(async () => {
        ({ folder } = await freshLab());
        shells.useLab(folder);
        vmId = (await addVm(folder, { name: "web01", state: "Running" })).id;
        const dir = mkdtempSync(join(tmpdir(), "hvcp-endpoint-files-"));
        writeEndpointFiles(dir, { ...ENDPOINT_DEFAULTS, account: "CORP\\svc-pulumi" });
        writeFileSync(join(dir, "check.ps1"), check);
        const env = shells.env();
        const { stdout } = await execFileAsync(
            shells.pwsh,
            [
                "-NoProfile",
                "-NonInteractive",
                "-File",
                join(dir, "check.ps1"),
                dir,
                encodeParameter({ id: vmId, includeCheckpoints: true }),
                encodeParameter({ vm: { id: vmId }, name: "through JEA", temporaryType: null }),
            ],
            { env: { ...env, PSModulePath: `${dir}${delimiter}${env.PSModulePath ?? ""}` } },
        );
        checked = JSON.parse(stdout.slice(stdout.indexOf("{"))) as Checked;
    });

    it("the module's manifest has the package's version and exports exactly the module's functions", () => {
        assert.equal(checked.manifest.ModuleVersion, MODULE_VERSION);
        assert.deepEqual(checked.manifest.FunctionsToExport, [...MODULE_FUNCTIONS]);
    });

    it("the SSH session configuration is RestrictedRemoteServer in NoLanguage, showing only the module's functions", () => {
        assert.equal(checked.ssh.SessionType, "RestrictedRemoteServer");
        assert.equal(checked.ssh.LanguageMode, "NoLanguage");
        assert.equal(checked.ssh.ModulesToImport, MODULE_NAME);
        assert.deepEqual(checked.ssh.VisibleFunctions, [...MODULE_FUNCTIONS]);
    });

    it("the JEA role capability names only the module's functions, and the session configuration gives it to the account alone", () => {
        assert.deepEqual(checked.role.VisibleFunctions, [...MODULE_FUNCTIONS]);
        assert.equal(checked.jea.LanguageMode, "NoLanguage");
        assert.equal(checked.jea.RunAsVirtualAccount, true);
        assert.deepEqual(checked.jea.RoleDefinitions, { "CORP\\svc-pulumi": { RoleCapabilities: MODULE_NAME } });
    });

    it("a session built from the JEA files is NoLanguage and shows the module's functions and the session's own cmdlets only", () => {
        assert.equal(checked.languageMode, "NoLanguage");
        const session = ["Clear-Host", "Exit-PSSession", "Get-Command", "Get-FormatData", "Get-Help", "Measure-Object", "Out-Default", "Select-Object"];
        assert.deepEqual([...checked.visible].sort(), [...MODULE_FUNCTIONS, ...session].sort());
    });

    it("that session runs the operations against the stand-in: reads the VM and takes a checkpoint", () => {
        const read = JSON.parse(checked.read) as { ok: { vm: { id: string } } };
        assert.equal(read.ok.vm.id, vmId);
        const take = JSON.parse(checked.take) as { ok: { checkpoint: { id: string; name: string } } };
        assert.equal(take.ok.checkpoint.name, "through JEA");
        assert.deepEqual(
            readLab(folder).checkpoints.map((c) => c.name),
            ["through JEA"],
        );
    });

    it("that session refuses script text", () => {
        assert.notEqual(checked.script, "ran");
        assert.match(checked.script, /no-language mode|ScriptsNotAllowed|not supported/i);
    });
});
