/**
 * The .NET runtime settings our PowerShell processes start with: the environment we spawn them
 * in, with one addition unless the user's environment already says how .NET should compile.
 *
 * PowerShell compiles every script block it runs into new .NET code, which .NET's tiered
 * compilation first runs unoptimised while it counts calls, then compiles again, optimised, on a
 * background thread. Our shells run short, ever-new scripts, so that second compilation never
 * ends: measured on PowerShell 7.6 (.NET 10), a shell that does nothing but wait burned 60-75
 * CPU-milliseconds per second (its watchdog's twice-a-second check is enough to keep it going),
 * and each operation cost 25-35 CPU-ms of shell, most of it that recompilation (BENCHMARKS.md,
 * "PowerShell's own cost"). `DOTNET_TC_CallCounting=0` stops the counting: code stays as first
 * compiled (PowerShell's own assemblies are precompiled, ReadyToRun), which costs our scripts
 * nothing measurable, and the idle shell drops to about 5 CPU-ms per second. Turning tiered
 * compilation off altogether (`DOTNET_TieredCompilation=0`) cuts calls further but more than
 * doubles each shell's start (4.3 against 1.6 CPU-s), so we do not.
 *
 * .NET Framework (Windows PowerShell 5.1) reads none of the DOTNET_ variables; a remote shell
 * (SSH, WinRM) is started by the host's own service, with the host's settings.
 */
export const RUNTIME_SETTINGS: Readonly<Record<string, string>> = { DOTNET_TC_CallCounting: "0" };

/** Variables through which a user already chose how .NET compiles: then we add nothing. */
const USER_CHOICE = /^(DOTNET|COMPlus)_(TC_|TieredCompilation|TieredPGO|ReadyToRun)/i;

export function shellRuntimeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    if (Object.keys(env).some((name) => USER_CHOICE.test(name))) return env;
    return { ...env, ...RUNTIME_SETTINGS };
}
