import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { functionNameOf } from "../provider/powershell/module/module";
import { frameCall, frameScript, frameSessionStart } from "../provider/powershell/protocol";
import { encodeParameter, readVmScript, renderScript } from "../provider/powershell/scripts";
import { runCommand } from "../provider/powershell/shell-command";
import { ShellProcess } from "../provider/powershell/shell-process";
import { RUNTIME_SETTINGS } from "../provider/powershell/shell-runtime";
import { standInModulePath } from "../test/powershell/stand-in/modules";
import { StandInServer } from "../test/powershell/stand-in/server";
import { findPwsh } from "../test/powershell/support/real-shells";
import { fleetLab, fleetVmName } from "./lab-fleet";
import { cpuOfTree } from "./process-cpu";

/*
 * Where one PowerShell shell's CPU goes (issue 29), measured on the shell's processes (/proc,
 * Linux), not on wall time, so that a busy machine blurs it less: the runtime's start, our session
 * start (watchdog, module, probe), each call by part (the framing around a script, a whole read as
 * the module's function and as script text, and the stand-in cmdlet alone: the part a real Hyper-V
 * host spends too), and a shell waiting.
 * Once with .NET's own compilation settings (call counting on, as before) and once with ours.
 *
 *   node dist/bench/shell-cost.js [calls]
 */

const ms = (seconds: number) => Math.round(seconds * 10000) / 10;
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

async function measure(label: string, env: NodeJS.ProcessEnv, pwsh: string, calls: number): Promise<Record<string, number>> {
    const shell = new ShellProcess(pwsh, env);
    const cpu = () => cpuOfTree(shell.pid ?? -1);
    const row: Record<string, number> = {};
    const run = (command: string) => runCommand(shell, command, 120_000);
    await run("$null");
    row["runtime start, CPU-ms"] = ms(cpu());
    let before = cpu();
    await run(frameSessionStart(null, process.pid));
    row["session start (watchdog, module, probe), CPU-ms"] = ms(cpu() - before);
    const perCall = async (name: string, command: (i: number) => string) => {
        await run(command(0));
        const start = cpu();
        for (let i = 1; i <= calls; i++) await run(command(i));
        row[name] = ms((cpu() - start) / calls);
    };
    const read = (i: number) => ({ name: fleetVmName(i % 20), includeCheckpoints: true });
    await perCall("framing alone (a script that returns '{}'), CPU-ms/call", () => frameScript("'{}'", false));
    await perCall("Get-VM -Name alone (the host's own work), CPU-ms/call", (i) => frameScript(`$null = Get-VM -Name '${fleetVmName(i % 20)}'`, false));
    await perCall("read VM by name, the module's function (what the provider sends), CPU-ms/call", (i) =>
        frameCall({ function: functionNameOf(readVmScript), payload: encodeParameter(read(i)) }, false),
    );
    // PowerShell caches the parse of a script text it has seen: 20 VMs' reads repeat after 20 calls.
    // A text never seen before (a new name, another checkpoint's id) is parsed and compiled anew.
    await perCall("read VM by name, as script text (20 texts, repeating), CPU-ms/call", (i) => frameScript(renderScript(readVmScript, read(i)), false));
    await perCall("read VM by name, as script text (every text new), CPU-ms/call", (i) =>
        frameScript(renderScript(readVmScript, { ...read(i), call: `${label}-${i}` }), false),
    );
    before = cpu();
    await sleep(5000);
    row["waiting, CPU-ms/s"] = ms((cpu() - before) / 5);
    shell.stop();
    process.stderr.write(`${label}: ${JSON.stringify(row)}\n`);
    return row;
}

async function main(): Promise<void> {
    const calls = Number(process.argv[2] ?? 60);
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("needs pwsh: bash scripts/ensure-powershell.sh, then export PATH=$HOME/.dotnet/tools:$PATH");
    const server = new StandInServer();
    await server.start();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "shell-cost-"));
    server.lab = await fleetLab(20, work, { state: "Running", checkpointType: "Production" });
    const env: NodeJS.ProcessEnv = { ...process.env, HYPERV_STANDIN_URL: server.url, PSModulePath: standInModulePath(pwsh) };
    for (const name of Object.keys(env)) if (/^(DOTNET|COMPlus)_/i.test(name)) delete env[name];
    try {
        // Call counting on is .NET's default: naming it makes shellRuntimeEnv leave it as it is.
        const dotnet = await measure(".NET defaults", { ...env, DOTNET_TC_CallCounting: "1" }, pwsh, calls);
        const ours = await measure("ours", env, pwsh, calls);
        console.log(
            `| CPU of one shell (PowerShell 7, local, stand-in; ${calls} calls each) | .NET defaults | ours (${Object.entries(RUNTIME_SETTINGS)
                .map(([k, v]) => `${k}=${v}`)
                .join(" ")}) |`,
        );
        console.log("|---|---:|---:|");
        for (const key of Object.keys(ours)) console.log(`| ${key} | ${dotnet[key]} | ${ours[key]} |`);
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
