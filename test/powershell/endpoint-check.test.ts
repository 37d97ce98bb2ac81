import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ENDPOINT_DEFAULTS, endpointFiles } from "../../provider/powershell/endpoint/files";
import { endpointRefusal, type InstalledEndpoint } from "../../provider/powershell/endpoint/check";
import { EndpointOptionError } from "../../provider/powershell/endpoint/options";
import { MODULE_DIGEST, MODULE_FUNCTIONS, MODULE_VERSION, moduleText } from "../../provider/powershell/module/module";

/*
 * What the session start of an installed endpoint decides from the endpoint's answer (the answers
 * themselves come from real endpoints in endpoint.test.ts): the same module serves; another version
 * is refused with the upgrade command; missing functions are named.
 */

const current: InstalledEndpoint = {
    psEdition: "Core",
    psVersion: "7.4.6",
    osBuild: 20348,
    moduleVersion: MODULE_VERSION,
    moduleDigest: MODULE_DIGEST,
    functions: [...MODULE_FUNCTIONS],
};

describe("an installed endpoint at session start", () => {
    it("serves when it has this provider's module and every function", () => {
        assert.equal(endpointRefusal(current), null);
    });

    it("is refused when its module is another version, naming both, with the command that upgrades it", () => {
        const refusal = endpointRefusal({ ...current, moduleVersion: "0.0.9", moduleDigest: "0123456789abcdef" });
        assert.ok(refusal);
        assert.match(
            refusal.detail,
            new RegExp(
                `runs HypervCheckpoints 0\\.0\\.9 \\(0123456789abcdef\\), and this provider needs HypervCheckpoints ${MODULE_VERSION.replace(/\./g, "\\.")} \\(${MODULE_DIGEST}\\)`,
            ),
        );
        assert.match(refusal.hint, new RegExp(`npx hyperv-checkpoints@${MODULE_VERSION.replace(/\./g, "\\.")} endpoint hvcp-endpoint`));
        assert.match(refusal.hint, /Copy-Item -Recurse -Force hvcp-endpoint\\HypervCheckpoints 'C:\\Program Files\\PowerShell\\Modules'/);
    });

    it("names the one function an endpoint lacks", () => {
        const refusal = endpointRefusal({ ...current, functions: MODULE_FUNCTIONS.filter((f) => f !== "Invoke-HvcpTakeCheckpoint") });
        assert.ok(refusal);
        assert.equal(refusal.detail, "the endpoint lacks the function Invoke-HvcpTakeCheckpoint of HypervCheckpoints");
    });

    it("names every function it lacks when several are missing", () => {
        const refusal = endpointRefusal({ ...current, functions: MODULE_FUNCTIONS.filter((f) => !f.includes("Checkpoint")) });
        assert.ok(refusal);
        assert.match(
            refusal.detail,
            /lacks the functions Invoke-HvcpApplyCheckpointSettings, Invoke-HvcpTakeCheckpoint, Invoke-HvcpApplyCheckpoint, Invoke-HvcpRenameCheckpoint, Invoke-HvcpRemoveCheckpoint, Invoke-HvcpRestoreCheckpointType of/,
        );
    });
});

describe("npx hyperv-checkpoints endpoint <folder>", () => {
    it("writes the module, both session configurations, the role capability and the sshd_config lines for the account", () => {
        const folder = mkdtempSync(join(tmpdir(), "hvcp-endpoint-cli-"));
        try {
            const cli = resolve(__dirname, "../../provider/powershell/endpoint/cli.js");
            const run = spawnSync(process.execPath, [cli, "endpoint", folder, "--account", "CORP\\svc-pulumi"], { encoding: "utf8" });
            assert.equal(run.status, 0, run.stderr);
            const expected = endpointFiles({ ...ENDPOINT_DEFAULTS, account: "CORP\\svc-pulumi" });
            for (const [relative, text] of Object.entries(expected)) {
                assert.equal(readFileSync(join(folder, relative), "utf8").replace(/^\uFEFF/, ""), text, relative);
            }
            assert.equal(readFileSync(join(folder, "HypervCheckpoints/HypervCheckpoints.psm1"), "utf8"), `\uFEFF${moduleText}`);
            assert.match(
                readFileSync(join(folder, "sshd_config.snippet"), "utf8"),
                /^Match User corp\\svc-pulumi\n {4}ForceCommand C:\/progra~1\/powershell\/7\/pwsh\.exe -sshs -NoLogo -NoProfile -ConfigurationFile C:\/ProgramData\/hyperv-checkpoints\/hyperv-checkpoints-ssh\.pssc$/m,
            );
            assert.match(run.stdout, /pulumi config set hyperv:endpoint installed/);
        } finally {
            rmSync(folder, { recursive: true, force: true });
        }
    });
});

/** What would inject a directive or a pattern into sshd_config, or break out of a .pssc string. */
const HOSTILE = [
    "svc\nForceCommand /bin/sh",
    "svc\rPermitTTY yes",
    "svc pulumi",
    "svc*",
    "svc,root",
    "!root",
    "svc?",
    "'svc'",
    '"svc"',
    "svc#x",
    "CORP\\\\svc",
    "",
];

describe("values written into the endpoint's files", () => {
    const cli = resolve(__dirname, "../../provider/powershell/endpoint/cli.js");

    it("takes name and DOMAIN\\name accounts, and matches them in lower case as Win32-OpenSSH compares them", () => {
        for (const [account, matched] of [
            ["svc-pulumi", "svc-pulumi"],
            ["CORP\\Svc_Pulumi.1", "corp\\svc_pulumi.1"],
        ]) {
            const files = endpointFiles({ ...ENDPOINT_DEFAULTS, account: account! });
            assert.ok(files["sshd_config.snippet"]!.includes(`\nMatch User ${matched}\n`), files["sshd_config.snippet"]);
            assert.ok(files["hyperv-checkpoints-jea.pssc"]!.includes(`'${account}' = @{ RoleCapabilities = 'HypervCheckpoints' }`));
        }
    });

    for (const [field, option] of [
        ["account", "--account"],
        ["pwsh", "--pwsh"],
        ["configDir", "--config-dir"],
    ] as const) {
        it(`refuses a ${option} that would inject into sshd_config or a .pssc (new line, space, * , ! ? # quotes), naming the option and the fix`, () => {
            // Two backslashes are a path's business, not a hostile one.
            for (const value of HOSTILE.filter((v) => field === "account" || v !== "CORP\\\\svc")) {
                assert.throws(
                    () => endpointFiles({ ...ENDPOINT_DEFAULTS, [field]: value }),
                    (e: unknown) =>
                        e instanceof EndpointOptionError &&
                        e.option === option &&
                        e.message.startsWith(`${option} ${JSON.stringify(value)} is not`) &&
                        /e\.g\. /.test(e.message),
                    `${option} ${JSON.stringify(value)}`,
                );
            }
        });
    }

    it("refuses Match criteria of more than one line", () => {
        assert.throws(() => endpointFiles({ ...ENDPOINT_DEFAULTS, match: "LocalPort 2222\nForceCommand /bin/sh" }), EndpointOptionError);
        assert.match(endpointFiles({ ...ENDPOINT_DEFAULTS, match: "LocalPort 2222" })["sshd_config.snippet"]!, /^Match LocalPort 2222$/m);
    });

    it("the CLI refuses a hostile --account with the option's name and the fix, no stack trace, and writes nothing", () => {
        const folder = join(mkdtempSync(join(tmpdir(), "hvcp-endpoint-refused-")), "files");
        try {
            const run = spawnSync(process.execPath, [cli, "endpoint", folder, "--account", "svc\nMatch all\nForceCommand /bin/sh"], { encoding: "utf8" });
            assert.equal(run.status, 2);
            assert.match(
                run.stderr,
                /^hyperv-checkpoints endpoint: --account "svc\\nMatch all\\nForceCommand \/bin\/sh" is not an account name: give name or DOMAIN\\name/,
            );
            assert.match(run.stderr, /no file was written\n$/);
            assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
            assert.equal(run.stdout, "");
            assert.ok(!existsSync(folder), "nothing written");
        } finally {
            rmSync(dirname(folder), { recursive: true, force: true });
        }
    });
});
