import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { functionNameOf } from "../provider/powershell/module/module";
import { frameCall, frameSessionStart } from "../provider/powershell/protocol";
import { encodeParameter, readVmScript } from "../provider/powershell/scripts";
import { runCommand } from "../provider/powershell/shell-command";
import { ShellHost } from "../provider/powershell/shell-host";
import { ShellProcess } from "../provider/powershell/shell-process";
import { standInModulePath } from "../test/powershell/stand-in/modules";
import { StandInServer } from "../test/powershell/stand-in/server";
import { findPwsh } from "../test/powershell/support/real-shells";
import { fleetLab, fleetVmName } from "./lab-fleet";
import { cpuOfTree } from "./process-cpu";

/*
 * What `sessions` PowerShell sessions cost to start, and a read by name per call, in CPU of their
 * processes (/proc, Linux): as processes of their own (before issue 29's shared process) and as
 * runspaces of one shared process (shell-host.ts), with the session start the provider sends.
 *
 *   node dist/bench/session-host-cost.js [sessions] [calls]
 */

const ms = (seconds: number) => Math.round(seconds * 10000) / 10;

async function main(): Promise<void> {
    const sessions = Number(process.argv[2] ?? 8);
    const calls = Number(process.argv[3] ?? 40);
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("needs pwsh: bash scripts/ensure-powershell.sh, then export PATH=$HOME/.dotnet/tools:$PATH");
    const server = new StandInServer();
    await server.start();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "session-host-cost-"));
    server.lab = await fleetLab(20, work, { state: "Running", checkpointType: "Production" });
    const env: NodeJS.ProcessEnv = { ...process.env, HYPERV_STANDIN_URL: server.url, PSModulePath: standInModulePath(pwsh) };
    // A read as the provider sends it: the module's function (loaded by the session start) with its payload.
    const read = (i: number) =>
        frameCall({ function: functionNameOf(readVmScript), payload: encodeParameter({ name: fleetVmName(i % 20), includeCheckpoints: true }) }, false);
    try {
        // Processes of their own.
        const own = Array.from({ length: sessions }, () => new ShellProcess(pwsh, env));
        await Promise.all(own.map((s) => runCommand(s, frameSessionStart(null, process.pid), 300_000)));
        const ownStart = own.reduce((sum, s) => sum + cpuOfTree(s.pid ?? -1), 0);
        let before = own.reduce((sum, s) => sum + cpuOfTree(s.pid ?? -1), 0);
        for (let i = 0; i < calls; i++) await runCommand(own[i % sessions]!, read(i), 120_000);
        const ownCall = (own.reduce((sum, s) => sum + cpuOfTree(s.pid ?? -1), 0) - before) / calls;
        for (const s of own) s.stop();
        // Runspaces of one process.
        const host = new ShellHost(pwsh, env);
        const shared = await Promise.all(Array.from({ length: sessions }, () => host.open()));
        await Promise.all(shared.map((s) => runCommand(s, frameSessionStart(null, null), 300_000)));
        const sharedStart = cpuOfTree(host.pid ?? -1);
        before = cpuOfTree(host.pid ?? -1);
        for (let i = 0; i < calls; i++) await runCommand(shared[i % sessions]!, read(i), 120_000);
        const sharedCall = (cpuOfTree(host.pid ?? -1) - before) / calls;
        host.kill();
        console.log(`| ${sessions} sessions, PowerShell 7 local, stand-in | processes of their own | runspaces of one process |`);
        console.log("|---|---:|---:|");
        console.log(`| start-up (runtime and session starts), CPU-ms in all | ${ms(ownStart)} | ${ms(sharedStart)} |`);
        console.log(`| start-up per session, CPU-ms | ${ms(ownStart / sessions)} | ${ms(sharedStart / sessions)} |`);
        console.log(`| read VM by name with its checkpoints, CPU-ms/call (${calls} calls) | ${ms(ownCall)} | ${ms(sharedCall)} |`);
    } finally {
        await server.stop();
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
    },
);
