import { watchdog } from "./watchdog";

/**
 * The script one shared PowerShell process runs (shell-host.ts): it hosts several sessions, each a
 * runspace of its own, and reads requests from stdin, one line each, `<verb> <session> [<base64>]`:
 * - `open s`: a new runspace for session s (opened in the background; its first command waits);
 * - `run s <command>`: runs one command of the session's own protocol (protocol.ts, unchanged) in
 *   its runspace, dot-sourced as `-Command -` would run it, beside the other sessions' commands;
 * - `stop s`: stops the command running in s (PowerShell.Stop: between statements, or when the
 *   cmdlet running yields); the provider kills the whole process if that does not end it soon;
 * - `close s`: closes the runspace, and with it the remote sessions it opened.
 * It answers on stdout, one line each, `<session> <kind> <base64 text>`: `h` what the command
 * wrote with Write-Host (undo records, the remote process's start: streamed while it runs), `o`
 * its other output, `x` its errors, `r` its result (the value the command's last statement prints,
 * $HvcpOut, which it would have written to the console), `e` the command's end; and `* w <text>`
 * for a line PowerShell printed to the console for no session in particular (ssh's words).
 *
 * The commands print their result with [Console]::Out, which is the process's and not the
 * session's: the loop reads the result from the session instead, and passes on only the console's
 * other lines. Polling every 20 ms while a command
 * runs costs less than a wait on every session's handle would in script; nothing polls while the
 * sessions are idle. The watchdog (watchdog.ts) is started once, for the whole process.
 */
export function shellHostLoop(providerPid: number): string {
    return [
        "$ProgressPreference = 'SilentlyContinue'",
        watchdog(providerPid),
        "$utf8 = [System.Text.UTF8Encoding]::new($false)",
        "$out = [System.IO.StreamWriter]::new([Console]::OpenStandardOutput(), $utf8)",
        "$out.AutoFlush = $true",
        // The console's output is every session's at once: the results (read from each session
        // instead, so dropped here) and what PowerShell prints there for all of them, such as ssh's
        // own words ("Connection refused", "Host key verification failed"), which go to every
        // session as the process's stderr would (`* w`). Console.SetOut makes the writer
        // thread-safe by locking it, so the loop takes that lock to read and clear it.
        "$console = [System.IO.StringWriter]::new()",
        "[Console]::SetOut($console)",
        "function Send-Console { $w = [Console]::Out; [System.Threading.Monitor]::Enter($w); try { $text = $console.ToString(); $null = $console.GetStringBuilder().Clear() } finally { [System.Threading.Monitor]::Exit($w) }; if ($text.Length -eq 0) { return }; foreach ($l in $text.Split([char]10)) { $t = $l.TrimEnd([char]13); if ($t -ne '' -and -not $t.Contains('@@HVCP') -and $t -notmatch '^[0-9a-f]{24}$') { Send '*' 'w' $t } } }",
        "$in = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $utf8)",
        "$sessions = @{}",
        "function Send([string]$tag, [string]$kind, [string]$text) { $out.WriteLine($tag + ' ' + $kind + ' ' + [Convert]::ToBase64String($utf8.GetBytes($text))) }",
        "function Start-Next($s) { $ps = [powershell]::Create(); $ps.Runspace = $s.rs; $s.rs.SessionStateProxy.SetVariable('HvcpOut', $null); $null = $ps.AddScript($s.pending); $s.pending = $null; $s.stopped = $false; $s.ps = $ps; $s.async = $ps.BeginInvoke() }",
        [
            "function Complete($s) {",
            "$failed = $null",
            "try { foreach ($o in $s.ps.EndInvoke($s.async)) { Send $s.tag 'o' ([string]$o) } } catch { $failed = $_ }",
            "foreach ($r in $s.ps.Streams.Information.ReadAll()) { Send $s.tag 'h' ([string]$r.MessageData) }",
            "foreach ($e in $s.ps.Streams.Error) { Send $s.tag 'x' ([string]$e) }",
            "if ($null -ne $failed) { Send $s.tag 'x' ([string]$failed) }",
            "if (-not $s.stopped) { $value = $null; try { $value = $s.rs.SessionStateProxy.GetVariable('HvcpOut') } catch { }; if ($null -ne $value) { Send $s.tag 'r' ([string]$value) } }",
            "$s.ps.Dispose(); $s.ps = $null; $s.async = $null",
            "Send $s.tag 'e' ''",
            "}",
        ].join("\n"),
        "$read = $in.ReadLineAsync()",
        [
            "while ($true) {",
            "if ($read.IsCompleted) {",
            "$line = $read.Result",
            // The provider closed our stdin or died: end at once, with everything this process started
            // (its sessions' ssh), as the watchdog would; an exit would wait for a command that does not stop.
            "if ($null -eq $line) { foreach ($child in @(Get-Process | Where-Object { $null -ne $_.Parent -and $_.Parent.Id -eq $PID })) { try { $child.Kill($true) } catch { } }; [System.Diagnostics.Process]::GetCurrentProcess().Kill() }",
            "$read = $in.ReadLineAsync()",
            "$parts = $line.Split(' ')",
            "$tag = $parts[1]",
            "$s = $sessions[$tag]",
            "switch ($parts[0]) {",
            "'open' { $rs = [runspacefactory]::CreateRunspace(); $rs.OpenAsync(); $sessions[$tag] = @{ tag = $tag; rs = $rs; ps = $null; async = $null; pending = $null; stopped = $false } }",
            "'run' { $s.pending = $utf8.GetString([Convert]::FromBase64String($parts[2])) }",
            "'stop' { if ($null -ne $s -and $null -ne $s.ps) { $s.stopped = $true; $null = $s.ps.BeginStop($null, $null) } }",
            "'close' { if ($null -ne $s) { $sessions.Remove($tag); if ($null -ne $s.ps) { $null = $s.ps.BeginStop($null, $null) }; $s.rs.CloseAsync() } }",
            "}",
            "continue",
            "}",
            "$busy = $false",
            "Send-Console",
            "foreach ($s in @($sessions.Values)) {",
            "if ($null -ne $s.ps) { $busy = $true; foreach ($r in $s.ps.Streams.Information.ReadAll()) { Send $s.tag 'h' ([string]$r.MessageData) }; if ($s.async.IsCompleted) { Complete $s } }",
            "if ($null -ne $s.pending) { $state = $s.rs.RunspaceStateInfo.State.ToString(); if ($state -eq 'Opened') { Start-Next $s; $busy = $true } elseif ($state -eq 'Opening' -or $state -eq 'BeforeOpen') { $busy = $true } else { $s.pending = $null; Send $s.tag 'x' ([string]$s.rs.RunspaceStateInfo.Reason); Send $s.tag 'e' '' } }",
            "}",
            "$null = $read.Wait($(if ($busy) { 20 } else { -1 }))",
            "}",
        ].join("\n"),
    ].join("\n");
}
