import type { PowerShellTarget } from "./target";

/**
 * Which executable to start. An explicit setting wins (hyperv:shell: "pwsh" or "powershell"; tests
 * give a path). Without one, NODE_POWERSHELL in the provider's environment names it, as it does for
 * programs built on node-powershell (a pwsh that is not on PATH). Otherwise: SSH remoting needs
 * PowerShell 7 locally (New-PSSession -HostName does not exist in 5.1); on Windows, the local host
 * and WinRM use Windows PowerShell, which has Hyper-V's module natively on every release
 * (PowerShell 7 only from Windows Server 2019, see shell-compatibility.ts); elsewhere only pwsh
 * exists.
 */
export function resolveShellExecutable(target: PowerShellTarget, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
    if (target.shell) return target.shell;
    if (env.NODE_POWERSHELL) return env.NODE_POWERSHELL;
    if (platform !== "win32" || target.kind === "ssh") return "pwsh";
    return "powershell";
}
