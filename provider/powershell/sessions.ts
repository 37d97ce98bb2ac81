import { ShellPool } from "./shell-pool";
import { targetKey, type PowerShellTarget } from "./target";
import type { Transport } from "./transport";

/**
 * The process's sessions: one pool of shells per target host, shared by every PowerShellHost of
 * that target, counted by leases so the shells stop when the last user lets go, and killed when
 * the process exits.
 */
const sessions = new Map<string, ShellPool>();
const leases = new Map<ShellPool, number>();
let exitHookInstalled = false;

/**
 * The session for a target: one pool per target host per process. The first caller's settings
 * (timeouts, maxSessions) are the pool's: they are not part of the target's identity.
 */
export function sessionFor(target: PowerShellTarget, env?: NodeJS.ProcessEnv): ShellPool {
    const key = targetKey(target);
    let session = sessions.get(key);
    // A disposed session is never handed out again: its target gets a new one.
    if (!session || session.isDisposed) {
        session = new ShellPool(target, env);
        sessions.set(key, session);
    }
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const s of sessions.values()) s.killNow();
        });
    }
    return session;
}

/**
 * A handle on the target's shared session: disposing it releases this user only; the shells stop
 * when the last user lets go.
 */
export function leaseSession(target: PowerShellTarget, env?: NodeJS.ProcessEnv): Transport {
    const session = sessionFor(target, env);
    leases.set(session, (leases.get(session) ?? 0) + 1);
    let released = false;
    return {
        displayName: session.displayName,
        invoke: (script, options) => session.invoke(script, options),
        dispose: async () => {
            if (released) return;
            released = true;
            const left = (leases.get(session) ?? 1) - 1;
            if (left > 0) {
                leases.set(session, left);
                return;
            }
            leases.delete(session);
            await session.dispose();
        },
    };
}

/** How many sessions (pools) are open in this process (tests assert one per host). */
export function openSessionCount(): number {
    return [...sessions.values()].filter((s) => !s.isDisposed).length;
}
