/**
 * A script that is about to change something it will undo in `finally` first writes an undo
 * record after this marker, with Write-Host: it reaches our stdout at once, also from a remote
 * session. If the script is then cut off (the shell killed at a timeout, or crashed) its `finally`
 * never runs, and the session runs the operation's compensation with the record instead.
 */
export const UNDO_MARKER = "@@HVCP-UNDO@@";

/** The PowerShell statement that announces an undo record, given as a PowerShell expression. */
export function announceUndo(recordExpression: string): string {
    return `Write-Host ('${UNDO_MARKER}' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -Compress -InputObject (${recordExpression})))))`;
}
