import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { HyperVHost } from "../../provider/host/port";
import { addVm } from "../../provider/lab";
import { createPowerShellHost, type PowerShellTargetInput } from "../../provider/powershell";
import { freshLab, rejectsWith, removeLabs } from "../lab/helpers";
import { LoopbackSshd } from "./support/loopback-sshd";
import { descendantsOf, kinds, type ProcessInfo, processesWith, untilNoneLeft } from "./support/processes";
import { findSshd, powerShellShapes, RealShells, SSHD_HOW, unavailable } from "./support/real-shells";
import { until } from "./support/until";

/*
 * A stopped shell leaves nothing running: after a timeout, a dispose, or the provider exiting or
 * killed with SIGKILL in the middle of an operation, none of the processes the provider started for the shell
 * runs any more — the launcher and the `dotnet pwsh.dll` it starts (PowerShell as a .NET tool) or
 * `pwsh` itself (a plain executable), `ssh`, and at the other end the sshd session and the remote
 * PowerShell. Each case counts the real processes while the operation stalls in the host, and
 * again after the stop. Each target here has an sshd of its own, so every process below it is
 * this test's.
 */

const shells = new RealShells();
type Shape = "tool" | "plain";
type Where = "local" | "ssh";
const SHAPES: Record<Shape, string> = { tool: "as a .NET tool", plain: "as a plain executable" };
const STALL_MS = 40_000;
const ALL_GONE_MS = 15_000;

describe("a stopped shell leaves nothing running", () => {
    shells.hooks(["pwsh-local"], removeLabs);
    const sshds = new Map<Shape, LoopbackSshd>();
    after(async () => {
        for (const sshd of sshds.values()) {
            await sshd.stop();
            sshd.remove();
        }
    });

    function executable(ctx: Mocha.Context, shape: Shape): string {
        const path = powerShellShapes(shells.pwsh)[shape];
        if (!path) {
            const how = shape === "tool" ? "install PowerShell as a .NET global tool (`bash scripts/ensure-powershell.sh`)" : "the tool's store has no apphost";
            unavailable(ctx, `PowerShell ${SHAPES[shape]}`, how);
        }
        return path!;
    }

    async function sshdFor(ctx: Mocha.Context, shape: Shape, pwsh: string): Promise<LoopbackSshd> {
        const existing = sshds.get(shape);
        if (existing) return existing;
        const binary = findSshd();
        if (!binary) unavailable(ctx, "sshd", SSHD_HOW);
        const sshd = new LoopbackSshd(binary!, pwsh, { HYPERV_STANDIN_URL: shells.server.url, PSModulePath: shells.modulePath });
        await sshd.start();
        sshds.set(shape, sshd);
        return sshd;
    }

    /** A warm host on a VM, and how to list what its shell runs here and at the other end. */
    async function setup(ctx: Mocha.Context, shape: Shape, where: Where, operationSeconds: number) {
        const pwsh = executable(ctx, shape);
        const sshd = where === "ssh" ? await sshdFor(ctx, shape, pwsh) : null;
        const { folder } = await freshLab();
        shells.useLab(folder);
        const vmId = (await addVm(folder, { name: "web01", state: "Running", checkpointType: "Production" })).id;
        const timeouts = { operationSeconds, removalSeconds: 60, connectSeconds: 90 };
        const target: PowerShellTargetInput = sshd
            ? {
                  kind: "ssh",
                  host: "127.0.0.1",
                  port: sshd.port,
                  userName: sshd.user,
                  keyFilePath: sshd.clientKey,
                  knownHostsFile: sshd.knownHosts,
                  shell: pwsh,
                  timeouts,
              }
            : { kind: "local", shell: pwsh, timeouts };
        const tag = `HVCP_STOPPING_TEST=${randomUUID()}`;
        const [name, value] = tag.split("=") as [string, string];
        const env = { ...shells.env(), [name]: value };
        const here = () => processesWith(tag);
        const there = () => (sshd?.pid === undefined ? [] : descendantsOf(sshd.pid));
        return { vmId, target, env, here, there, expected: expectedKinds(shape, where) };
    }

    /** What runs for one shell while it works: here, and at the other end. */
    function expectedKinds(shape: Shape, where: Where): { here: string[]; there: string[] } {
        const shell = shape === "tool" ? ["dotnet pwsh.dll", "launcher pwsh"] : ["pwsh"];
        if (where === "local") return { here: shell, there: [] };
        return { here: [...shell, "ssh"].sort(), there: shell.map((k) => `remote ${k}`) };
    }

    function assertRunning(running: { here: ProcessInfo[]; there: ProcessInfo[] }, expected: { here: string[]; there: string[] }): void {
        assert.deepEqual(kinds(running.here), expected.here, "what runs here while the operation stalls");
        const there = kinds(running.there);
        for (const kind of expected.there) assert.ok(there.includes(kind), `a ${kind} runs at the other end (${there.join(", ")})`);
    }

    /** Starts a read that stalls in the host, and waits until it is there. */
    async function stalledRead(host: HyperVHost, vmId: string): Promise<{ read: Promise<unknown> }> {
        shells.server.resetCalls();
        shells.server.inject({ cmdlet: "Get-VM", stallMs: STALL_MS, times: 1 });
        const read = host.getVm({ id: vmId });
        read.catch(() => undefined);
        await until(() => shells.server.cmdlets().includes("Get-VM"), "the read to reach the host", 60_000);
        return { read };
    }

    for (const shape of ["tool", "plain"] as const) {
        for (const where of ["local", "ssh"] as const) {
            describe(`PowerShell ${SHAPES[shape]}, ${where === "local" ? "on this machine" : "over SSH"}`, function () {
                this.timeout(180_000);

                it("a timeout stops the shell and everything it started: the error, then nothing left running", async function () {
                    const { vmId, target, env, here, there, expected } = await setup(this, shape, where, 5);
                    const host = createPowerShellHost(target, { env });
                    try {
                        await host.getVm({ id: vmId });
                        const { read } = await stalledRead(host, vmId);
                        assertRunning({ here: here(), there: there() }, expected);
                        const error = await rejectsWith(() => read, "HostTimeout");
                        assert.match(error.message, /did not finish within 5 s; the shell was stopped/);
                        await untilNoneLeft(() => [...here(), ...there()], "after the timeout", ALL_GONE_MS);
                    } finally {
                        await host.dispose();
                    }
                });

                it("dispose in the middle of an operation stops the shell and everything it started", async function () {
                    const { vmId, target, env, here, there, expected } = await setup(this, shape, where, 60);
                    const host = createPowerShellHost(target, { env });
                    await host.getVm({ id: vmId });
                    const { read } = await stalledRead(host, vmId);
                    assertRunning({ here: here(), there: there() }, expected);
                    await host.dispose();
                    await rejectsWith(() => read, "HostUnreachable");
                    await untilNoneLeft(() => [...here(), ...there()], "after dispose", ALL_GONE_MS);
                });

                for (const ending of ["SIGKILL", "exit"] as const) {
                    const how = ending === "SIGKILL" ? "killed with SIGKILL" : "exiting";
                    it(`the provider ${how} in the middle of an operation leaves nothing running`, async function () {
                        const { vmId, target, env, here, there, expected } = await setup(this, shape, where, 60);
                        const provider = startProvider(target, env, vmId);
                        try {
                            shells.server.resetCalls();
                            shells.server.inject({ cmdlet: "Get-VM", stallMs: STALL_MS, times: 1 });
                            await until(() => shells.server.cmdlets().includes("Get-VM"), "the provider's read to reach the host", 90_000);
                            assertRunning({ here: here(), there: there() }, expected);
                            if (ending === "SIGKILL") provider.kill("SIGKILL");
                            else provider.stdin?.end("exit\n");
                            await untilNoneLeft(
                                () => [...here(), ...there()],
                                `after the provider ${how === "exiting" ? "exited" : "was killed"}`,
                                ALL_GONE_MS,
                            );
                        } finally {
                            provider.kill("SIGKILL");
                        }
                    });
                }
            });
        }
    }
});

/** A provider process of its own: it opens the host and reads the VM, then waits; it exits (process.exit) when told so on stdin. */
function startProvider(target: PowerShellTargetInput, env: NodeJS.ProcessEnv, vmId: string): ChildProcess {
    const script = [
        `const { createPowerShellHost } = require(${JSON.stringify(resolve(__dirname, "../../provider/powershell"))});`,
        "const { target, env, vmId } = JSON.parse(process.argv[1]);",
        "createPowerShellHost(target, { env }).getVm({ id: vmId }).catch(() => undefined);",
        "process.stdin.on('data', () => process.exit(0));",
    ].join("\n");
    return spawn(process.execPath, ["-e", script, JSON.stringify({ target, env, vmId })], { stdio: ["pipe", "ignore", "ignore"] });
}
