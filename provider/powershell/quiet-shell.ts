import type { PowerShell } from "node-powershell";

/** What node-powershell 5 (through child-shell) keeps about each command, privately. */
interface ShellBookkeeping {
    debuggers: { comment: (text: string) => void; command: (text: string) => void; output: (text: string) => void };
    history: unknown[];
}

/**
 * A history that keeps only the record of the command running now, without its text. child-shell
 * reads `history[0]` back right after `unshift`, so it must stay an array holding that record.
 */
class CurrentCommandOnly extends Array<unknown> {
    static override get [Symbol.species]() {
        return Array;
    }

    override unshift(...records: unknown[]): number {
        this.length = 0;
        for (const record of records) {
            if (record && typeof record === "object" && "command" in record) (record as { command: string }).command = "";
            this.push(record);
        }
        return this.length;
    }
}

const quiet = () => undefined;

/**
 * child-shell prints every command it writes (through `debug`, when DEBUG names its namespace,
 * e.g. DEBUG=*) and keeps every command and its output in an ever-growing history. The session
 * start carries WinRM credentials, and a dynamic provider's console output reaches the engine's
 * logs: neither may keep them. This turns both off for one shell, right after it is spawned.
 */
export function silence(shell: PowerShell): void {
    const bookkeeping = shell as unknown as ShellBookkeeping;
    bookkeeping.debuggers = { comment: quiet, command: quiet, output: quiet };
    bookkeeping.history = new CurrentCommandOnly();
}

/** The command texts a shell still holds (tests assert there are none). */
export function retainedCommands(shell: PowerShell): string[] {
    return (shell as unknown as ShellBookkeeping).history.map((r) => String((r as { command?: unknown }).command ?? "")).filter((c) => c !== "");
}
