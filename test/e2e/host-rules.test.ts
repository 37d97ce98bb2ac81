import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { addVm, readLab, setHostSettings, setVm } from "../../provider/lab";
import { RealShells } from "../powershell/support/real-shells";
import { failureOf, repoRoot, step, TestStack } from "./harness";
import { freshLab, vmByName } from "./lab-fixture";

/*
 * What a user sees through the real engine when the host is busy or the stack's configuration is
 * off: on the lab, and through real PowerShell 7 on the Hyper-V stand-in (`hyperv:host local`, and
 * `ssh://` to a loopback sshd), each test with its own lab and stack.
 */

const shells = new RealShells();
type Target = "lab" | "pwsh-local" | "pwsh-ssh";
const TARGETS: Target[] = ["lab", "pwsh-local", "pwsh-ssh"];
const declared = path.join(repoRoot, "test", "e2e", "programs", "declared");
const groups = path.join(repoRoot, "test", "e2e", "programs", "groups");

/** The stack configuration and engine environment that point the provider at `target`. */
function reach(target: Target, lab: string): { config: ConfigMap; env: Record<string, string> } {
    if (target === "lab") return { config: { "hyperv:host": { value: `lab:${lab}` } }, env: {} };
    shells.useLab(lab);
    const PATH = `${path.dirname(shells.pwsh)}${path.delimiter}${process.env.PATH ?? ""}`;
    if (target === "pwsh-local") {
        const { HYPERV_STANDIN_URL, PSModulePath } = shells.env();
        return {
            config: { "hyperv:host": { value: "local" }, "hyperv:shell": { value: "pwsh" } },
            env: { PATH, HYPERV_STANDIN_URL: HYPERV_STANDIN_URL!, PSModulePath: PSModulePath! },
        };
    }
    const sshd = shells.sshd!;
    return {
        config: {
            "hyperv:host": { value: `ssh://${sshd.user}@127.0.0.1:${sshd.port}` },
            "hyperv:keyFile": { value: sshd.clientKey },
            "hyperv:knownHostsFile": { value: sshd.knownHosts },
            "hyperv:shell": { value: "pwsh" },
        },
        env: { PATH },
    };
}

async function withStack(
    target: Target,
    config: ConfigMap,
    env: Record<string, string>,
    body: (stack: TestStack, lab: string) => Promise<void>,
    setup: (lab: string) => Promise<void>,
    program = declared,
) {
    const lab = await freshLab({});
    let stack: TestStack | undefined;
    try {
        await setup(lab);
        const reached = reach(target, lab);
        stack = await TestStack.create({ program, config: { ...reached.config, ...config }, env: { ...reached.env, ...env } });
        await body(stack, lab);
    } finally {
        await stack?.dispose();
        fs.rmSync(lab, { recursive: true, force: true });
    }
}

const policies = (value: Record<string, unknown>) => ({ "e2e:policies": { value: JSON.stringify(value) }, "e2e:checkpoints": { value: "{}" } });

describe("the engine, a busy host and the stack's configuration", () => {
    shells.hooks(["lab", "pwsh-local", "pwsh-ssh"]);

    for (const target of TARGETS) {
        describe(`on ${target}`, function () {
            this.timeout(600_000);

            it("a policy moving the file location of a VM that is stopping fails as busy, with the advice to wait, and changes nothing", async () => {
                await withStack(
                    target,
                    policies({ webPolicy: { vmName: "web01", fileLocation: "E:\\Elsewhere", type: "standard" } }),
                    {},
                    async (stack, lab) => {
                        const before = vmByName(lab, "web01");
                        const error = await step("up", () => failureOf(() => stack.up()));
                        assert.match(error, /apply checkpoint settings failed on .*VM .*current state \(Stopping\)/);
                        assert.match(error, /Wait until the VM has finished starting, stopping or saving, then retry/);
                        assert.doesNotMatch(error, /delete|fileLocation cannot change/i, "no advice about checkpoints the VM does not have");
                        assert.deepEqual(vmByName(lab, "web01"), before, "nothing changed on the host");
                    },
                    async (lab) => {
                        await addVm(lab, { name: "web01", state: "Running", version: "9.0", checkpointType: "Production" });
                        await setVm(lab, { name: "web01" }, { state: "Stopping" });
                    },
                );
            });
        });
    }

    describe("a checkpoint group whose take outlives hyperv:timeoutSeconds", function () {
        this.timeout(600_000);

        for (const target of ["pwsh-local", "pwsh-ssh"] as const) {
            it(`leaves no checkpoint that no stack records: the late one is waited for and removed, on ${target}`, async () => {
                await withStack(
                    target,
                    {
                        "hyperv:timeoutSeconds": { value: "3" },
                        "e2e:groups": { value: JSON.stringify({ release: { vms: [{ vmName: "a01" }, { vmName: "b01" }], name: "before release" } }) },
                    },
                    {},
                    async (stack, lab) => {
                        const error = await step("up", () => failureOf(() => stack.up()));
                        assert.match(error, /take checkpoint group "before release" failed: nothing is left on any VM/);
                        assert.match(error, /VM "a01" .*: taken \([0-9a-f-]{36}\), then removed again/);
                        assert.match(
                            error,
                            /VM "b01" .*: failed: .*did not finish within 3 s.*; its checkpoint appeared afterwards \([0-9a-f-]{36}\) and was removed again/,
                        );
                        assert.deepEqual(readLab(lab).checkpoints, [], "no checkpoint on either VM");
                    },
                    async (lab) => {
                        await addVm(lab, { name: "a01", state: "Off", version: "9.0" });
                        await addVm(lab, { name: "b01", state: "Running", version: "9.0", checkpointType: "Production" });
                        // A production checkpoint takes 15 s at real speed: 7.5 s here, past the 3 s the stack allows; reads take 75 ms.
                        await setHostSettings(lab, { latency: { profile: "realistic", timeScale: 0.5 } });
                    },
                    groups,
                );
            });
        }
    });

    describe("hyperv:* keys that are no setting", function () {
        this.timeout(600_000);

        it("a misspelt hyperv:timeoutSecond fails the preview, naming the setting it was meant to be; another unknown key is a warning", async () => {
            await withStack(
                "lab",
                { ...policies({ webPolicy: { vmName: "web01", type: "standard" } }), "hyperv:timeoutSecond": { value: "5" } },
                {},
                async (stack, lab) => {
                    const error = await step("preview with the misspelt key", () => failureOf(() => stack.preview()));
                    assert.match(
                        error,
                        /invalid stack configuration hyperv:timeoutSecond: .*did you mean hyperv:timeoutSeconds\? Rename it: `pulumi config rm hyperv:timeoutSecond`/,
                    );
                    await stack.stack.removeConfig("hyperv:timeoutSecond");
                    await stack.stack.setConfig("hyperv:region", { value: "west" });
                    const res = await step("up with a key far from any setting", () => stack.up());
                    assert.match(
                        res.stdout,
                        /warning: stack configuration hyperv:region is not a setting of hyperv-checkpoints and is ignored \(the closest is hyperv:/,
                    );
                    assert.equal(vmByName(lab, "web01").checkpointType, "Standard", "the up went through");
                },
                async (lab) => {
                    await addVm(lab, { name: "web01", state: "Running", version: "9.0", checkpointType: "Production" });
                },
            );
        });
    });

    describe("NODE_POWERSHELL in the provider's environment", function () {
        this.timeout(600_000);

        for (const target of ["pwsh-local", "pwsh-ssh"] as const) {
            it(`does not override an explicit hyperv:shell, on ${target}`, async () => {
                await withStack(
                    target,
                    policies({ webPolicy: { vmName: "web01", type: "standard" } }),
                    { NODE_POWERSHELL: path.join(repoRoot, ".e2e", "no-such-pwsh") },
                    async (stack, lab) => {
                        await step("up", () => stack.up());
                        assert.equal(vmByName(lab, "web01").checkpointType, "Standard");
                        assert.ok(shells.server.cmdlets().includes("Set-VM"), "the host was reached through PowerShell");
                    },
                    async (lab) => {
                        shells.server.resetCalls();
                        await addVm(lab, { name: "web01", state: "Running", version: "9.0", checkpointType: "Production" });
                    },
                );
            });
        }

        it("names the shell when hyperv:shell is not set", async () => {
            await withStack(
                "pwsh-local",
                policies({ webPolicy: { vmName: "web01", type: "standard" } }),
                { NODE_POWERSHELL: path.join(repoRoot, ".e2e", "no-such-pwsh") },
                async (stack) => {
                    await stack.stack.removeConfig("hyperv:shell");
                    const error = await step("up", () => failureOf(() => stack.up()));
                    assert.match(error, /no-such-pwsh could not be started/);
                },
                async (lab) => {
                    await addVm(lab, { name: "web01", state: "Running", version: "9.0" });
                },
            );
        });
    });
});
