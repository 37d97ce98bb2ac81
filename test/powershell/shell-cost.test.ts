import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { addVm } from "../../provider/lab";
import { shellRuntimeEnv } from "../../provider/powershell/shell-runtime";
import { freshLab, removeLabs } from "../lab/helpers";
import { descendantsOf, processTable } from "./support/processes";
import { RealShells } from "./support/real-shells";

/*
 * What a PowerShell shell costs this machine while it waits for work (issue 29): a pool keeps its
 * shells between calls, so an idle shell that burns CPU slows every other process on the host,
 * the engine and the other shells first.
 */

const shells = new RealShells();

/** CPU seconds so far of every process below this one that was started as `shell`, and of theirs. */
function shellCpuSeconds(shell: string): number {
    const table = processTable();
    const ours = table.filter((p) => p.ppid === process.pid && p.argv[0] === shell);
    return ours
        .flatMap((p) => [p, ...descendantsOf(p.pid, table)])
        .reduce((sum, p) => {
            try {
                const fields = readFileSync(`/proc/${p.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
                return sum + (Number(fields[11]) + Number(fields[12])) / 100;
            } catch {
                return sum; // gone since the table was read
            }
        }, 0);
}

describe("what a PowerShell shell costs while it waits", function () {
    this.timeout(180_000);
    shells.hooks(["pwsh-local"], removeLabs);

    it("spends almost no CPU between calls (with .NET's defaults it spent 60-230 CPU-ms every second recompiling)", async () => {
        const { folder } = await freshLab();
        const vm = await addVm(folder, { name: "idle-01", state: "Running" });
        const target = shells.target("pwsh-local", { fresh: true, maxSessions: 1 });
        const host = shells.hostOn(target, folder);
        await host.getVm({ id: vm.id });
        // Past the start's own work, then a window of waiting.
        await new Promise((r) => setTimeout(r, 1500));
        const before = shellCpuSeconds(target.shell);
        const windowMs = 4000;
        await new Promise((r) => setTimeout(r, windowMs));
        const perSecondMs = ((shellCpuSeconds(target.shell) - before) * 1000) / (windowMs / 1000);
        assert.ok(before > 0, "the shell's processes were found");
        assert.ok(perSecondMs < 25, `the idle shell spent ${perSecondMs.toFixed(1)} CPU-ms per second`);
        // Still a working shell after the wait.
        assert.equal((await host.getVm({ id: vm.id })).name, "idle-01");
    });
});

describe("the .NET settings a shell starts with", () => {
    it("stops tiered compilation's call counting", () => {
        assert.equal(shellRuntimeEnv({ PATH: "/bin" }).DOTNET_TC_CallCounting, "0");
    });

    it("keeps the user's own choice of how .NET compiles, adding nothing", () => {
        const env = { PATH: "/bin", DOTNET_TieredCompilation: "0" };
        assert.deepEqual(shellRuntimeEnv(env), env);
        assert.equal(shellRuntimeEnv({ COMPlus_TC_CallCounting: "1" }).DOTNET_TC_CallCounting, undefined);
    });
});
