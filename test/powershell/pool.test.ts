import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { addVm, readLab, takeCheckpointOutOfBand } from "../../provider/lab";
import { sessionFor } from "../../provider/powershell/sessions";
import { powerShellTargetSchema } from "../../provider/powershell/target";
import { freshLab, rejectsWith, removeLabs } from "../lab/helpers";
import { RealShells, type AdapterKind } from "./support/real-shells";
import { until } from "./support/until";

/*
 * Shells side by side on one host, for real (PowerShell 7 here and over SSH remoting, against the
 * Hyper-V stand-in): a long operation occupies one shell and delays no call on another VM; a
 * burst starts no more shells than maxSessions; maxSessions 1 runs one call after another; a
 * shell's fault fails only its own call; a shell that lost the module loads it again.
 */

const shells = new RealShells();
const KINDS: Exclude<AdapterKind, "lab">[] = ["pwsh-local", "pwsh-ssh"];
const TIMEOUTS = { operationSeconds: 60, removalSeconds: 60, connectSeconds: 60 };

/**
 * The shells this test process started (its children): suites run side by side, so other files'
 * shells of the same executable run at the same time.
 */
function shellProcesses(shell: string): number[] {
    const startedHere = (pid: string) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]) === process.pid;
    const started = (pid: string) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19]);
    return readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .flatMap((d) => {
            try {
                return readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0")[0] === shell && startedHere(d) ? [{ pid: Number(d), at: started(d) }] : [];
            } catch {
                return [];
            }
        })
        .sort((a, b) => a.at - b.at || a.pid - b.pid)
        .map((p) => p.pid);
}

describe("shells side by side on one host", () => {
    shells.hooks(KINDS, removeLabs);

    /** A lab with VMs "merging" (one checkpoint) and "busy", and a warm host on a pool of its own. */
    async function setup(kind: Exclude<AdapterKind, "lab">, maxSessions: number) {
        const { folder } = await freshLab();
        const merging = (await addVm(folder, { name: "merging", state: "Running", checkpointType: "Production" })).id;
        const busy = (await addVm(folder, { name: "busy", state: "Running", checkpointType: "Production" })).id;
        const checkpoint = (await takeCheckpointOutOfBand(folder, { id: merging }, { name: "big disk" })).checkpoint.id;
        const target = shells.target(kind, { timeouts: TIMEOUTS, fresh: true, maxSessions });
        const host = shells.hostOn(target, folder);
        await host.getVm({ id: busy });
        return { folder, merging, busy, checkpoint, target, host, pool: sessionFor(powerShellTargetSchema.parse(target)) };
    }

    for (const kind of KINDS) {
        describe(`on ${kind}`, function () {
            this.timeout(180_000);

            it("with maxSessions 4, another VM's checkpoint is taken and read while a merge is still running", async () => {
                const { folder, merging, busy, checkpoint, host } = await setup(kind, 4);
                shells.server.resetCalls();
                shells.server.inject({ cmdlet: "Remove-VMSnapshot", stallMs: 20_000, times: 1 });
                let merged = false;
                const merge = host.removeCheckpoint(merging, checkpoint).then(() => (merged = true));
                await until(() => shells.server.cmdlets().includes("Remove-VMSnapshot"), "the merge to reach the host");
                const taken = await host.takeCheckpoint({ id: busy }, { name: "while merging" });
                const read = await host.getVmWithCheckpoints({ id: busy });
                assert.equal(merged, false, "the other VM's calls finished before the merge");
                assert.deepEqual(
                    read.checkpoints.map((c) => c.id),
                    [taken.checkpoint.id],
                );
                await merge;
                assert.deepEqual(
                    readLab(folder).checkpoints.map((c) => c.name),
                    ["while merging"],
                );
            });

            it("starts no more than maxSessions shells under a burst, all in one PowerShell process", async () => {
                const { folder, target, host } = await setup(kind, 3);
                const vms = await Promise.all(Array.from({ length: 9 }, (_, i) => addVm(folder, { name: `burst${i}` })));
                shells.server.inject({ cmdlet: "Get-VM", stallMs: 1_500 });
                let most = 0;
                const seen = new Set(shellProcesses(target.shell));
                const sampler = setInterval(() => {
                    const running = shellProcesses(target.shell);
                    most = Math.max(most, running.length);
                    for (const pid of running) seen.add(pid);
                }, 100);
                try {
                    const read = await Promise.all(vms.map((vm) => host.getVm({ id: vm.id })));
                    assert.deepEqual(
                        read.map((vm) => vm.name),
                        vms.map((vm) => vm.name),
                    );
                } finally {
                    clearInterval(sampler);
                }
                // The three sessions are runspaces of the pool's one process: the runtime starts once.
                assert.equal(seen.size, 1, "one PowerShell process for the three sessions");
                assert.ok(most <= 1, `${most} shell processes ran at once`);
            });

            it("with maxSessions 1, a call waits for the merge before it: one shell, one call at a time", async () => {
                const { merging, busy, checkpoint, target, host } = await setup(kind, 1);
                const warm = shellProcesses(target.shell);
                shells.server.resetCalls();
                shells.server.inject({ cmdlet: "Remove-VMSnapshot", stallMs: 3_000, times: 1 });
                const finished: string[] = [];
                const merge = host.removeCheckpoint(merging, checkpoint).then(() => finished.push("merge"));
                await until(() => shells.server.cmdlets().includes("Remove-VMSnapshot"), "the merge to reach the host");
                await host.getVm({ id: busy }).then(() => finished.push("read"));
                await merge;
                assert.deepEqual(finished, ["merge", "read"]);
                assert.deepEqual(shellProcesses(target.shell), warm, "one shell, the warm one");
            });

            it("the shared process killed mid-way: each change in flight says it may or may not have completed, and the pool carries on", async () => {
                const { merging, busy, checkpoint, target, host } = await setup(kind, 2);
                shells.server.resetCalls();
                // Long enough to outlast the second session's start over SSH: the kill cuts it short.
                shells.server.inject({ cmdlet: "Remove-VMSnapshot", stallMs: 30_000, times: 1 });
                shells.server.inject({ cmdlet: "Checkpoint-VM", stallMs: 4_000, times: 1 });
                const merge = host.removeCheckpoint(merging, checkpoint);
                await until(() => shells.server.cmdlets().includes("Remove-VMSnapshot"), "the merge to reach the host");
                const take = host.takeCheckpoint({ id: busy }, { name: "cut off" });
                await until(() => shells.server.cmdlets().includes("Checkpoint-VM"), "the take to reach the host");
                const processes = shellProcesses(target.shell);
                assert.equal(processes.length, 1, "both sessions run in one process");
                process.kill(processes[0]!, "SIGKILL");
                for (const change of [take, merge]) {
                    const error = await rejectsWith(() => change, "HostUnreachable");
                    assert.match(error.message, /may or may not have completed/);
                }
                assert.equal((await host.getVm({ id: busy })).id, busy, "the pool carries on");
                assert.equal(shellProcesses(target.shell).length, 1, "in a new process");
            });

            it("a shell that lost the module loads it again and answers", async () => {
                const { busy, target, host, pool } = await setup(kind, 1);
                const warm = shellProcesses(target.shell);
                // What a fresh runspace looks like: none of the module's functions.
                const forget = "Remove-Module -Name HypervCheckpoints -Force; '{\"ok\":null}'";
                assert.equal(await pool.invoke(forget, { operation: "forget the module", readOnly: false }), '{"ok":null}');
                assert.equal((await host.getVm({ id: busy })).id, busy);
                assert.deepEqual(shellProcesses(target.shell), warm, "the same shell, not a restart");
            });

            it("a shell killed between calls is started again with the module, and the next call works", async () => {
                const { busy, target, host } = await setup(kind, 1);
                const killed = shellProcesses(target.shell);
                for (const pid of killed) process.kill(pid, "SIGKILL");
                await until(() => shellProcesses(target.shell).length === 0, "the shell to exit");
                assert.equal((await host.getVm({ id: busy })).id, busy);
                const now = shellProcesses(target.shell);
                assert.equal(now.length, 1, "one shell started again");
                assert.ok(!killed.includes(now[0]!));
            });
        });
    }
});
