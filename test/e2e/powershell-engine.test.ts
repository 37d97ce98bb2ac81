import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { addVm, readLab, removeLabCheckpoint, renameLabCheckpoint, setHostSettings, setVm, setVolume, writeToVm } from "../../provider/lab";
import { RealShells } from "../powershell/support/real-shells";
import { failureOf, opsByName, repoRoot, step, TestStack, type OperationResult } from "./harness";
import { freshLab, vmByName } from "./lab-fixture";
import { mergeStatusLines, whenMerging } from "./merge-progress";
import { assertQuickstartApplied, settingsOf } from "../examples/quickstart-expectations";

/*
 * The real Pulumi engine, the dynamic provider process it starts, and real PowerShell 7 between
 * the provider and the Hyper-V stand-in (the lab behind a `Hyper-V` module): once with
 * `hyperv:host local` (pwsh found on PATH), once with `hyperv:host ssh://user@127.0.0.1:port`
 * (PowerShell remoting over SSH to a loopback sshd). Every assertion is on what a user sees: the
 * host's state (the lab the stand-in serves), the engine's steps and the stack's outputs and state.
 *
 * Each test has its own lab and its own stack; a test's steps run in order inside it and are named,
 * so a failure says which step broke.
 */

const shells = new RealShells();
type Target = "pwsh-local" | "pwsh-ssh" | "pwsh-ssh-restricted";
const TARGETS: Target[] = ["pwsh-local", "pwsh-ssh", "pwsh-ssh-restricted"];
/**
 * Every target runs the quickstart and a checkpoint's lifecycle, which call every operation: the
 * restricted endpoint (README "Least privilege") and the local shell through the same session code
 * and scripts as SSH (test/contract runs every port operation on each of them as well). Drift and
 * groups through the engine add no operation, only CI minutes (about 45 CPU-s each per target):
 * they run over SSH, the way most users reach a Hyper-V host.
 */
const everyTest = (target: Target) => target === "pwsh-ssh";

const quickstart = path.join(repoRoot, "examples", "quickstart");
const declared = path.join(repoRoot, "test", "e2e", "programs", "declared");
const groups = path.join(repoRoot, "test", "e2e", "programs", "groups");

/** The stack configuration and engine environment that point the provider at `target`. */
function reach(target: Target): { config: ConfigMap; env: Record<string, string> } {
    // pwsh is found on the PATH the engine (and so the provider process) gets, as on a user's machine.
    const PATH = `${path.dirname(shells.pwsh)}${path.delimiter}${process.env.PATH ?? ""}`;
    if (target === "pwsh-local") {
        const { HYPERV_STANDIN_URL, PSModulePath } = shells.env();
        if (!HYPERV_STANDIN_URL || !PSModulePath) throw new Error("RealShells.env() gave no stand-in settings: was shells.start() run?");
        return {
            config: { "hyperv:host": { value: "local" }, "hyperv:shell": { value: "pwsh" } },
            env: { PATH, HYPERV_STANDIN_URL, PSModulePath },
        };
    }
    // Over SSH only the remote shell (started by sshd with the stand-in's settings) sees the
    // stand-in: the local pwsh gets none of them, so a cmdlet run locally by mistake would fail.
    const sshd = shells.sshd;
    if (!sshd) throw new Error("no loopback sshd: was shells.start() run with pwsh-ssh?");
    const restricted = target === "pwsh-ssh-restricted";
    return {
        config: {
            "hyperv:host": { value: `ssh://${sshd.user}@127.0.0.1:${restricted ? sshd.restrictedPort : sshd.port}` },
            "hyperv:keyFile": { value: sshd.clientKey },
            "hyperv:knownHostsFile": { value: sshd.knownHosts },
            ...(restricted ? { "hyperv:endpoint": { value: "installed" } } : {}),
        },
        env: { PATH },
    };
}

function describeTarget(target: Target): string {
    return {
        "pwsh-local": "hyperv:host local (pwsh on PATH)",
        "pwsh-ssh": "hyperv:host ssh://…@127.0.0.1 (PowerShell remoting over SSH)",
        "pwsh-ssh-restricted": "hyperv:host ssh://…@127.0.0.1 with hyperv:endpoint installed (the restricted endpoint from the generated files)",
    }[target];
}

/** A fresh lab served by the stand-in, and a stack of `program` reaching it through `target`. */
async function setup(target: Target, program: string, lab: string, config: ConfigMap = {}): Promise<TestStack> {
    shells.useLab(lab);
    shells.server.resetCalls();
    const { config: hostConfig, env } = reach(target);
    return TestStack.create({ program, config: { ...hostConfig, ...config }, env });
}

async function teardown(stack: TestStack | undefined, lab: string): Promise<void> {
    try {
        await stack?.dispose();
    } finally {
        fs.rmSync(lab, { recursive: true, force: true });
    }
}

/** The cmdlets that changed something on the host, since the last reset. */
function mutatingCmdlets(): string[] {
    return shells.server.cmdlets().filter((c) => !c.startsWith("Get-"));
}

/** The checkpoints of one VM on the host, by id. */
function checkpointsOf(lab: string, vmName: string) {
    const vmId = vmByName(lab, vmName).id;
    return new Map(
        readLab(lab)
            .checkpoints.filter((c) => c.vmId === vmId)
            .map((c) => [c.id, c]),
    );
}

interface CheckpointOut {
    id: string;
    checkpointName: string;
    kind: string;
    fellBack: boolean;
    holdsMemory: boolean;
    parentCheckpointId: string | null;
    vmId: string;
    lastRestoreTime: string | null;
}

/** The resources of the stack's state by name, as the engine wrote them (after a refresh, what the provider read). */
async function stateByName(stack: TestStack): Promise<Record<string, { id: string; outputs: Record<string, unknown> }>> {
    const { deployment } = await stack.stack.exportStack();
    const resources = (deployment.resources ?? []) as { urn: string; type: string; id?: string; outputs?: Record<string, unknown> }[];
    return Object.fromEntries(
        resources
            .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/hyperv:"))
            .map((r) => [r.urn.split("::").pop()!, { id: r.id ?? "", outputs: r.outputs ?? {} }]),
    );
}

/** What the engine's summary counted, without the resources it left as they were. */
function summary(res: OperationResult): Record<string, number> {
    const counts = res.events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
    return Object.fromEntries(Object.entries(counts).filter(([op, n]) => op !== "same" && n > 0));
}

describe("the Pulumi engine with real PowerShell between the provider and the Hyper-V stand-in", () => {
    shells.hooks(TARGETS);

    for (const target of TARGETS) {
        describe(`on ${describeTarget(target)}`, function () {
            this.timeout(600_000);

            it("examples/quickstart: up creates the policies and the checkpoint, a second up changes nothing, destroy puts the host back", async () => {
                const lab = await freshLab();
                let stack: TestStack | undefined;
                try {
                    stack = await setup(target, quickstart, lab);
                    const initial = settingsOf(lab);
                    const handTaken = readLab(lab).checkpoints.map((c) => c.id);

                    await step("first up", async () => {
                        const res = await stack!.up();
                        assertQuickstartApplied(lab, initial, res);
                        assert.equal((res.outputs.policies as Record<string, { checkpointType: string }>).reports!.checkpointType, "Disabled");
                        // The host was reached through PowerShell: the stand-in served the cmdlets.
                        assert.ok(mutatingCmdlets().includes("Checkpoint-VM"), `cmdlets run: ${shells.server.cmdlets().join(", ")}`);
                        assert.ok(mutatingCmdlets().includes("Set-VM"));
                    });

                    await step("second up", async () => {
                        const before = readLab(lab);
                        shells.server.resetCalls();
                        const res = await stack!.up();
                        assert.deepEqual(res.changes, []);
                        assert.deepEqual(mutatingCmdlets(), [], "nothing was changed on the host");
                        assert.deepEqual(readLab(lab).vms, before.vms);
                        assert.deepEqual(readLab(lab).checkpoints, before.checkpoints);
                    });

                    await step("destroy", async () => {
                        const res = await stack!.destroy();
                        assert.deepEqual(
                            Object.values(opsByName(res))
                                .flat()
                                .filter((op) => op !== "delete"),
                            [],
                        );
                        assert.equal(Object.keys(opsByName(res)).length, 6);
                        assert.deepEqual(settingsOf(lab), initial, "every VM has its settings back");
                        assert.deepEqual(
                            readLab(lab).checkpoints.map((c) => c.id),
                            handTaken,
                            "only the checkpoints taken by hand are left",
                        );
                    });
                } finally {
                    await teardown(stack, lab);
                }
            });

            it("a checkpoint's lifecycle: created in parallel, renamed, restored through restoreTrigger, deleted, destroyed", async () => {
                const lab = await freshLab({});
                let stack: TestStack | undefined;
                try {
                    // web01 starts on standard checkpoints: the policy makes them production, destroy puts standard back.
                    await addVm(lab, { name: "web01", state: "Running", version: "9.0", checkpointType: "Standard" });
                    await addVm(lab, { name: "dev01", state: "Running", version: "9.0", checkpointType: "Standard" });
                    const initial = settingsOf(lab);
                    const policy = { webPolicy: { vmName: "web01", type: "production", ensureBackupIntegration: true } };
                    const three = {
                        first: { vmName: "web01", name: "before upgrade", dependsOnPolicy: "webPolicy" },
                        second: { vmName: "web01", name: "after schema change", dependsOnPolicy: "webPolicy" },
                        third: { vmName: "web01", name: "after data load", dependsOnPolicy: "webPolicy" },
                        devSnap: { vmName: "dev01", name: "dev baseline" },
                    };
                    const declare = (checkpoints: Record<string, unknown>) =>
                        stack!.stack.setAllConfig({
                            "e2e:policies": { value: JSON.stringify(policy) },
                            "e2e:checkpoints": { value: JSON.stringify(checkpoints) },
                        });
                    stack = await setup(target, declared, lab);

                    const outs = await step("create", async () => {
                        await declare(three);
                        const res = await stack!.up();
                        assert.deepEqual(opsByName(res), {
                            webPolicy: ["create"],
                            first: ["create"],
                            second: ["create"],
                            third: ["create"],
                            devSnap: ["create"],
                        });
                        assert.equal(vmByName(lab, "web01").checkpointType, "Production", "the policy made web01's checkpoints production");
                        const outs = res.outputs.checkpointOutputs as Record<string, CheckpointOut>;
                        const web = [...checkpointsOf(lab, "web01").values()].sort((a, b) => a.creationTime.localeCompare(b.creationTime));
                        assert.equal(web.length, 3);
                        assert.deepEqual(
                            web.map((c) => c.parentId),
                            [null, web[0]!.id, web[1]!.id],
                            "one chain, in creation order",
                        );
                        assert.equal(vmByName(lab, "web01").parentCheckpointId, web[2]!.id);
                        for (const name of ["first", "second", "third"] as const) {
                            const onHost = checkpointsOf(lab, "web01").get(outs[name]!.id);
                            assert.equal(onHost?.name, three[name].name, `${name} is on the host under its id`);
                            assert.deepEqual([outs[name]!.kind, outs[name]!.fellBack, outs[name]!.holdsMemory], ["production", false, false]);
                            assert.equal(outs[name]!.vmId, vmByName(lab, "web01").id);
                        }
                        assert.equal(checkpointsOf(lab, "dev01").get(outs.devSnap!.id)?.name, "dev baseline");
                        assert.deepEqual([outs.devSnap!.kind, outs.devSnap!.holdsMemory], ["standard", true]);
                        return outs;
                    });

                    const renamed = { ...three, second: { ...three.second, name: "after schema change v2" } };
                    await step("rename", async () => {
                        await declare(renamed);
                        const res = await stack!.up();
                        assert.deepEqual(
                            res.changes.map((s) => [s.name, s.op]),
                            [["second", "update"]],
                        );
                        assert.equal(checkpointsOf(lab, "web01").get(outs.second!.id)?.name, "after schema change v2", "renamed in place, same id");
                        assert.equal(checkpointsOf(lab, "web01").size, 3);
                        const after = res.outputs.checkpointOutputs as Record<string, CheckpointOut>;
                        assert.deepEqual([after.second!.id, after.second!.checkpointName], [outs.second!.id, "after schema change v2"]);
                    });

                    const restored = { ...renamed, second: { ...renamed.second, restoreTrigger: "rollback-1" } };
                    await step("restore", async () => {
                        await declare(restored);
                        const res = await stack!.up();
                        assert.deepEqual(
                            res.changes.map((s) => [s.name, s.op]),
                            [["second", "update"]],
                        );
                        const web01 = vmByName(lab, "web01");
                        assert.equal(web01.state, "Off", "a production checkpoint brings the VM back Off");
                        assert.equal(web01.parentCheckpointId, outs.second!.id, "the VM runs from the restored checkpoint");
                        assert.equal(checkpointsOf(lab, "web01").size, 3, "applying removes no checkpoint");
                        const after = res.outputs.checkpointOutputs as Record<string, CheckpointOut>;
                        assert.ok(after.second!.lastRestoreTime, "lastRestoreTime is set");
                        assert.equal(after.first!.lastRestoreTime, null);
                    });

                    await step("delete", async () => {
                        const before = checkpointsOf(lab, "web01");
                        const gone = before.get(outs.first!.id)!;
                        const { first: _first, ...remaining } = restored;
                        await declare(remaining);
                        const res = await stack!.up();
                        assert.deepEqual(
                            res.changes.map((s) => [s.name, s.op]),
                            [["first", "delete"]],
                        );
                        const after = checkpointsOf(lab, "web01");
                        assert.deepEqual([...after.keys()].sort(), [outs.second!.id, outs.third!.id].sort());
                        for (const [id, cp] of after) {
                            const was = before.get(id)!.parentId;
                            assert.equal(cp.parentId, was === gone.id ? gone.parentId : was, `${cp.name} descends from the removed checkpoint's parent`);
                        }
                        assert.deepEqual(Object.keys(res.outputs.checkpointOutputs as object).sort(), ["devSnap", "second", "third"]);
                    });

                    await step("destroy", async () => {
                        await stack!.destroy();
                        assert.deepEqual(readLab(lab).checkpoints, []);
                        assert.deepEqual(settingsOf(lab), initial, "web01's policy is back as it was");
                    });
                } finally {
                    await teardown(stack, lab);
                }
            });

            if (!everyTest(target)) return;

            it("drift: a checkpoint removed, a checkpoint renamed and a policy changed out of band show on refresh; the next up repairs them", async () => {
                const lab = await freshLab({});
                let stack: TestStack | undefined;
                try {
                    await addVm(lab, { name: "web01", state: "Running", version: "9.0" });
                    stack = await setup(target, declared, lab, {
                        "e2e:policies": { value: JSON.stringify({ webPolicy: { vmName: "web01", type: "production", fallbackToStandard: false } }) },
                        "e2e:checkpoints": {
                            value: JSON.stringify({
                                kept: { vmName: "web01", name: "keep me", dependsOnPolicy: "webPolicy" },
                                named: { vmName: "web01", name: "mine", dependsOnPolicy: "webPolicy" },
                            }),
                        },
                    });
                    const created = await step("up", async () => {
                        const res = await stack!.up();
                        assert.deepEqual(opsByName(res), { webPolicy: ["create"], kept: ["create"], named: ["create"] });
                        return res.outputs.checkpointOutputs as Record<string, CheckpointOut>;
                    });

                    await step("changes out of band", async () => {
                        await removeLabCheckpoint(lab, { name: "web01" }, { id: created.kept!.id });
                        await renameLabCheckpoint(lab, { name: "web01" }, { id: created.named!.id }, "theirs");
                        await setVm(lab, { name: "web01" }, { checkpointType: "Standard" });
                    });

                    await step("refresh", async () => {
                        const res = await stack!.refresh();
                        assert.deepEqual(summary(res), { update: 3 }, "refresh reports the removed checkpoint gone and two changed");
                        const state = await stateByName(stack!);
                        assert.equal(state.kept?.outputs.present, false, "the removed checkpoint stays in the stack, marked gone");
                        assert.equal(state.named?.outputs.checkpointName, "theirs", "the stack holds the name the host has");
                        assert.equal(state.webPolicy?.outputs.checkpointType, "Standard", "the stack holds the type the host has");
                    });

                    await step("up repairs", async () => {
                        const res = await stack!.up();
                        assert.deepEqual(opsByName(res), {
                            webPolicy: ["update"],
                            kept: ["create-replacement", "replace", "delete-replaced"],
                            named: ["update"],
                        });
                        const outs = res.outputs.checkpointOutputs as Record<string, CheckpointOut>;
                        const onHost = checkpointsOf(lab, "web01");
                        assert.equal(onHost.size, 2);
                        assert.equal(onHost.get(created.named!.id)?.name, "mine", "renamed back, same checkpoint");
                        assert.notEqual(outs.kept!.id, created.kept!.id, "a new checkpoint was taken for the removed one");
                        assert.equal(onHost.get(outs.kept!.id)?.name, "keep me");
                        assert.equal(vmByName(lab, "web01").checkpointType, "ProductionOnly");
                    });

                    await step("refresh after the repair", async () => {
                        const before = readLab(lab);
                        const res = await stack!.refresh();
                        assert.deepEqual(summary(res), {}, "the stack and the host agree");
                        assert.deepEqual(readLab(lab), before, "a refresh changes nothing on the host");
                    });
                } finally {
                    await teardown(stack, lab);
                }
            });

            it("a checkpoint group: taken while its VMs are paused, rolled back in order and started in reverse, destroyed", async () => {
                const lab = await freshLab({});
                let stack: TestStack | undefined;
                try {
                    const tiers = ["web01", "app01", "db01"];
                    for (const name of tiers) await addVm(lab, { name, state: "Running", version: "9.0", checkpointType: "Standard" });
                    const release = { vms: tiers.map((vmName) => ({ vmName })), name: "before release 42", simultaneous: true };
                    const declare = (group: Record<string, unknown>) =>
                        stack!.stack.setAllConfig({ "e2e:groups": { value: JSON.stringify({ release: group }) } });
                    stack = await setup(target, groups, lab);
                    const cmdlets = (names: string[]) => shells.server.cmdlets().filter((c) => names.includes(c));

                    await step("create", async () => {
                        await declare(release);
                        const res = await stack!.up();
                        assert.deepEqual(opsByName(res), { release: ["create"] });
                        assert.deepEqual(cmdlets(["Suspend-VM", "Checkpoint-VM", "Resume-VM"]), [
                            "Suspend-VM",
                            "Suspend-VM",
                            "Suspend-VM",
                            "Checkpoint-VM",
                            "Checkpoint-VM",
                            "Checkpoint-VM",
                            "Resume-VM",
                            "Resume-VM",
                            "Resume-VM",
                        ]);
                        for (const vm of tiers) {
                            assert.deepEqual(
                                [...checkpointsOf(lab, vm).values()].map((c) => [c.name, c.vmState]),
                                [["before release 42", "Paused"]],
                            );
                            assert.equal(vmByName(lab, vm).state, "Running");
                        }
                    });

                    await step("roll back", async () => {
                        const from = readLab(lab).host.events.length;
                        shells.server.resetCalls();
                        await declare({ ...release, restoreTrigger: "rollback-1", startAfterRestore: true });
                        const res = await stack!.up();
                        assert.deepEqual(opsByName(res), { release: ["update"] });
                        assert.deepEqual(
                            readLab(lab)
                                .host.events.slice(from)
                                .map((e) => `${e.operation} ${e.vmName}`),
                            ["applyCheckpoint web01", "applyCheckpoint app01", "applyCheckpoint db01", "startVm db01", "startVm app01", "startVm web01"],
                        );
                        assert.deepEqual(cmdlets(["Restore-VMSnapshot", "Start-VM"]), [
                            "Restore-VMSnapshot",
                            "Restore-VMSnapshot",
                            "Restore-VMSnapshot",
                            "Start-VM",
                            "Start-VM",
                            "Start-VM",
                        ]);
                    });

                    await step("destroy", async () => {
                        const res = await stack!.destroy();
                        assert.deepEqual(opsByName(res), { release: ["delete"] });
                        assert.deepEqual(readLab(lab).checkpoints, [], "every checkpoint of the group was removed");
                    });
                } finally {
                    await teardown(stack, lab);
                }
            });

            // Over SSH only: the take script's guard and the merge's refusal are the same generated
            // PowerShell locally (test/powershell/guard-parity.test.ts runs it), so one remote stack says it.
            if (target === "pwsh-ssh") {
                it("disks: a take past its policy's maxChainDepth or on a full volume fails preview and changes nothing; a merge without room, merging disabled or a merge that fails midway fail with the reason; a large merge shows its progress", async () => {
                    const lab = await freshLab({});
                    let stack: TestStack | undefined;
                    const GiB = 1024 ** 3;
                    try {
                        await addVm(lab, { name: "web01", state: "Off", version: "9.0" });
                        await addVm(lab, { name: "app01", state: "Running", version: "9.0", checkpointType: "Standard", memoryMB: 4096 });
                        const policies = { web: { vmName: "web01", maxChainDepth: 1 } };
                        const one = { vmName: "web01", name: "one", limitsOf: "web" };
                        const declare = (checkpoints: Record<string, unknown>) =>
                            stack!.stack.setAllConfig({
                                "e2e:policies": { value: JSON.stringify(policies) },
                                "e2e:checkpoints": { value: JSON.stringify(checkpoints) },
                            });
                        stack = await setup(target, declared, lab);
                        await declare({ one });
                        await stack.up();

                        await step("preview refuses a take past the policy's maxChainDepth", async () => {
                            await declare({ one, two: { vmName: "web01", name: "two", limitsOf: "web", dependsOnCheckpoint: "one" } });
                            shells.server.resetCalls();
                            const failure = await failureOf(() => stack!.preview());
                            assert.match(failure, /chain of 2 differencing disks, and maxChainDepth is 1/);
                            assert.deepEqual(mutatingCmdlets(), []);
                        });

                        await step("preview refuses a standard checkpoint whose memory does not fit, naming the volume and sizes", async () => {
                            await setVolume(lab, "C:", 100 * GiB, 2 * GiB);
                            await declare({ one, big: { vmName: "app01", name: "big" } });
                            shells.server.resetCalls();
                            const failure = await failureOf(() => stack!.preview());
                            assert.match(failure, /volume C:\\? has 2147483648 bytes free; the checkpoint needs 4299161600, so 4299161600 are needed/);
                            assert.deepEqual(mutatingCmdlets(), []);
                        });

                        await step("a delete whose merge runs out of space fails with the reason, and keeps the checkpoint", async () => {
                            await writeToVm(lab, { name: "web01" }, GiB);
                            await setVolume(lab, "C:", 100 * GiB, GiB / 2);
                            await declare({});
                            const failure = await failureOf(() => stack!.up());
                            assert.match(failure, /not enough space on volume C:\\? \(536870912 bytes free, the merge needs 1073741824\)/);
                            assert.equal(checkpointsOf(lab, "web01").size, 1);
                        });

                        await step(
                            "a delete on a VM whose disk merging is disabled is refused with the reason and the fix, read from Msvm_DiskMergeSettingData",
                            async () => {
                                await setVolume(lab, "C:", 1000 * GiB, 500 * GiB);
                                await setVm(lab, { name: "web01" }, { diskMergeEnabled: false });
                                shells.server.resetCalls();
                                const failure = await failureOf(() => stack!.up());
                                assert.match(
                                    failure,
                                    /remove checkpoint failed on host .*VM "web01".*: disk merging is disabled for this VM \(Msvm_DiskMergeSettingData EnabledState 0/,
                                );
                                assert.match(failure, /nothing was removed\. Enable disk merging for the VM again/);
                                assert.deepEqual(mutatingCmdlets(), []);
                                assert.equal(checkpointsOf(lab, "web01").size, 1);
                                await setVm(lab, { name: "web01" }, { diskMergeEnabled: true });
                            },
                        );

                        await step("a delete of a large checkpoint waits for its merge, the merge job's percentage reaching the engine's events", async () => {
                            // 49 GiB to merge: 335 s at 150 MB/s, 5 s at this scale; read over SSH from Get-VM and the merge job.
                            await writeToVm(lab, { name: "web01" }, 48 * GiB);
                            await setHostSettings(lab, { latency: { profile: "realistic", timeScale: 0.015 } });
                            const mergeMs = ((49 * 1024) / 150) * 1000 * 0.015;
                            const started = Date.now();
                            const res = await stack!.up();
                            const tookMs = Date.now() - started;
                            await setHostSettings(lab, { latency: { profile: "none" } });
                            assert.deepEqual(opsByName(res).one, ["delete"]);
                            assert.ok(tookMs >= mergeMs, `the up ended after ${tookMs} ms, before the ${mergeMs} ms merge`);
                            // Hyper-V's merge job counts no bytes: the line says the percentage only.
                            assert.match(mergeStatusLines(res, "one")[0]!, /^merging: \d+% done \(web01\)$/);
                            assert.equal(checkpointsOf(lab, "web01").size, 0);
                        });

                        await step("a delete whose merge fails midway (its volume fills) fails at once with the merge job's error and what to do", async () => {
                            await declare({ one });
                            await stack!.up();
                            await writeToVm(lab, { name: "web01" }, 48 * GiB);
                            await setHostSettings(lab, { latency: { profile: "realistic", timeScale: 0.015 } });
                            await declare({});
                            const failed = failureOf(() => stack!.up());
                            await whenMerging(lab, "web01");
                            await setVolume(lab, "C:", 1000 * GiB, GiB);
                            const failure = await failed;
                            await setHostSettings(lab, { latency: { profile: "none" } });
                            assert.match(
                                failure,
                                /remove checkpoint failed on host .*VM "web01".*checkpoint "one".*: the background merge of the VM's disks failed at \d+%: There is not enough space on the disk\. \(0x80070070\); Hyper-V logs it as event 19100/,
                            );
                            assert.match(failure, /Free space on the volume of the VM's disks .*Resume-VM web01/);
                            // Room again: the lab merges the rest at once (no latency), and the teardown's destroy finds the disks whole.
                            await setVolume(lab, "C:", 1000 * GiB, 500 * GiB);
                            assert.equal(vmByName(lab, "web01").mergeFailure, null);
                        });
                    } finally {
                        await teardown(stack, lab);
                    }
                });
            }
        });
    }
});
