import type { PowerShellTarget } from "./target";

/**
 * Which executable to start. An explicit setting wins ("pwsh", "powershell" or a path). Otherwise:
 * SSH remoting needs PowerShell 7 locally (New-PSSession -HostName does not exist in 5.1); on
 * Windows, the local host and WinRM use Windows PowerShell, which has Hyper-V's module natively on
 * every release (PowerShell 7 only from Windows Server 2019, see shell-compatibility.ts); elsewhere
 * only pwsh exists.
 */
export function resolveShellExecutable(target: PowerShellTarget, platform: NodeJS.Platform = process.platform): string {
    if (target.shell) return target.shell;
    if (platform !== "win32" || target.kind === "ssh") return "pwsh";
    return "powershell";
}
