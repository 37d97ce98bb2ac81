import type { HyperVHost } from "../../host";
import { withVmLock } from "../shared/locks";

/**
 * Runs `work` holding every VM of a group (shared/locks serialises work per VM in this process).
 * The VMs are taken in one global order (host, then id), so two groups sharing VMs cannot each
 * hold one and wait for the other.
 */
export function withVmLocks<T>(vms: readonly { host: HyperVHost; vmId: string }[], work: () => Promise<T>): Promise<T> {
    const ordered = [...vms].sort((a, b) => `${a.host.displayName}\n${a.vmId}`.localeCompare(`${b.host.displayName}\n${b.vmId}`));
    const hold = (i: number): Promise<T> => (i === ordered.length ? work() : withVmLock(ordered[i]!.host, { id: ordered[i]!.vmId }, () => hold(i + 1)));
    return hold(0);
}
