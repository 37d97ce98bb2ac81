/**
 * Left in every shell by the session start: a background runspace (its own thread, so it runs
 * while a command blocks the shell) that ends the shell, and everything the shell started (ssh,
 * and so the remote session), when the provider that started it is gone. The provider stops its
 * shells itself on a timeout, on dispose and at exit (shell-process.ts); this covers a provider
 * killed with SIGKILL or crashed, where no code of ours runs any more.
 *
 * "Gone" is read from the shell's own ancestry where PowerShell 7 gives it (Process.Parent): a
 * provider killed on Linux can linger as a zombie until the engine reaps it, but its children are
 * handed to init at once, so the provider's id leaves the chain. The chain also breaks when a
 * launcher (a .NET tool's `pwsh`) died and left the real shell behind. Where the provider is not
 * in the chain at the start (Windows PowerShell 5.1 has no Parent), its process is asked for by id.
 * PowerShell 7 ends the shell's children's trees with Process.Kill($true), then the shell (Kill($true)
 * refuses a tree holding the caller); Windows PowerShell ends its tree with taskkill /T.
 */
export function watchdog(providerPid: number): string {
    const body = [
        "param([int]$provider)",
        "$inChain = { $p = Get-Process -Id $PID; for ($i = 0; $i -lt 6 -and $null -ne $p; $i++) { $p = $p.Parent; if ($null -ne $p -and $p.Id -eq $provider) { return $true } }; $false }",
        "$byChain = & $inChain",
        "while ($true) { Start-Sleep -Milliseconds 500; $alive = if ($byChain) { & $inChain } else { $null -ne (Get-Process -Id $provider -ErrorAction SilentlyContinue) }; if (-not $alive) { break } }",
        "$self = [System.Diagnostics.Process]::GetCurrentProcess()",
        "if ($null -eq $self.GetType().GetMethod('Kill', [type[]]@([bool]))) { & taskkill.exe /T /F /PID $PID | Out-Null }",
        // Kill($true) refuses a tree that holds the calling process: the children's trees first, then the shell.
        "foreach ($child in @(Get-Process | Where-Object { $null -ne $_.Parent -and $_.Parent.Id -eq $PID })) { try { $child.Kill($true) } catch { } }",
        "$self.Kill()",
    ].join("\n");
    const encoded = Buffer.from(body, "utf8").toString("base64");
    return `$global:HvcpWatchdog = [powershell]::Create().AddScript([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${encoded}'))).AddArgument(${Math.trunc(providerPid)}); $null = $global:HvcpWatchdog.BeginInvoke()`;
}
