import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { PowerShellTarget } from "./target";

/**
 * Which executable to start. An explicit setting wins ("pwsh", "powershell" or a path). Otherwise:
 * SSH remoting needs PowerShell 7 locally (New-PSSession -HostName does not exist in 5.1); on
 * Windows pwsh is preferred when installed, else Windows PowerShell; elsewhere only pwsh exists.
 */
export function resolveShellExecutable(
    target: PowerShellTarget,
    platform: NodeJS.Platform = process.platform,
    onPath: (name: string) => boolean = isOnPath,
): string {
    if (target.shell) return target.shell;
    if (platform !== "win32" || target.kind === "ssh") return "pwsh";
    return onPath("pwsh.exe") ? "pwsh" : "powershell";
}

function isOnPath(name: string): boolean {
    return (process.env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, name)));
}
