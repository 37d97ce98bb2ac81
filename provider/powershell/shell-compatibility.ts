import { z } from "zod";
import type { PowerShellTarget } from "./target";

/**
 * Hyper-V's module runs natively in PowerShell 7 only from Windows Server 2019 / Windows 10 1809
 * (build 17763). On older hosts PowerShell 7 loads it through the Windows PowerShell compatibility
 * layer: its cmdlets return deserialized objects, and `-VM $vm` no longer binds.
 * https://learn.microsoft.com/powershell/scripting/whats-new/module-compatibility
 */
export const FIRST_BUILD_WITH_NATIVE_HYPERV_IN_CORE = 17763;

/** What the session start reports of the shell that will run the scripts. */
export const shellProbeSchema = z.object({
    psEdition: z.string(),
    psVersion: z.string(),
    /** Null when the target has no Win32_OperatingSystem to ask (not Windows). */
    osBuild: z.coerce.number().int().nullable().optional(),
});
export type ShellProbe = z.infer<typeof shellProbeSchema>;

/** Why this shell cannot drive this host's Hyper-V, and what to do; null when it can. */
export function shellRefusal(probe: ShellProbe, target: PowerShellTarget): { detail: string; hint: string } | null {
    const build = probe.osBuild ?? null;
    if (probe.psEdition !== "Core" || build === null || build >= FIRST_BUILD_WITH_NATIVE_HYPERV_IN_CORE) return null;
    const detail =
        `the scripts would run in PowerShell ${probe.psVersion} on Windows build ${build}, which has Hyper-V's module only through ` +
        "the Windows PowerShell compatibility layer (deserialized objects; -VM $vm does not bind); PowerShell 7 drives Hyper-V " +
        "natively from Windows Server 2019 (build 17763)";
    const hints: Record<PowerShellTarget["kind"], string> = {
        local: "use Windows PowerShell 5.1: `pulumi config set hyperv:shell powershell`",
        ssh: "SSH remoting always reaches PowerShell 7: manage this host over WinRM from Windows (hyperv:host winrm://<host>), or upgrade it to Windows Server 2019 or later",
        winrm: "connect to the host's default Windows PowerShell endpoint (Microsoft.PowerShell), not a PowerShell 7 one",
    };
    return { detail, hint: hints[target.kind] };
}
