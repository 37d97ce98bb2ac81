/**
 * Printed (with Write-Host, which reaches us at once) as the first thing a script does in a
 * remote session: if the connection is lost and this was not seen, the script never ran on the
 * host, and running it again is safe even for a change. It carries the remote PowerShell's
 * process id and start time: when we stop a shell or lose its connection while the script runs,
 * the next invocation ends that process if it is still running (see `frameCall`).
 */
export const STARTED_MARKER = "@@HVCP-STARTED@@";
