import { CheckpointGroupError, reasonOf, type MemberOutcome } from "./errors";
import { inStartOrder } from "./plan";
import type { GroupInputs, GroupMemberOutput, GroupOutputs } from "./schema";
import type { HostFor } from "../../host";

/**
 * Rolls every VM back to its checkpoint in the declared order (Restore-VMSnapshot stops a running
 * VM), then, when asked, starts them in the start order. A VM that cannot be rolled back stops the
 * rollback: the error says which VMs are on the checkpoint and which are not, and since the
 * engine keeps the old restoreTrigger, the next `up` rolls the whole group back again, in order.
 */
export async function rollBackGroup(
    hostFor: HostFor,
    olds: GroupOutputs,
    news: GroupInputs,
): Promise<Pick<GroupOutputs, "lastRestoreTime" | "lastRestoreResult">> {
    const members = olds.members;
    for (const [index, m] of members.entries()) {
        const host = hostFor(m.host);
        try {
            await host.applyCheckpoint(m.vmId, m.checkpointId);
        } catch (e) {
            const outcomes = report(hostFor, olds, (i) =>
                i < index ? "on the checkpoint (rolled back)" : i === index ? `not rolled back: ${reasonOf(e)}` : "not rolled back (not attempted)",
            );
            throw new CheckpointGroupError(
                "roll back checkpoint group",
                olds.name,
                `VM "${m.vmName}" could not be rolled back, so the rollback stopped`,
                outcomes,
                "Fix the cause and run `pulumi up` again: the new restoreTrigger is still pending, and the next `up` rolls every VM of the group back again, in order",
                e,
            );
        }
    }
    const started: GroupMemberOutput[] = [];
    if (news.startAfterRestore === true) {
        for (const m of inStartOrder(members, news.startOrder)) {
            const host = hostFor(m.host);
            try {
                await host.startVm(m.vmId);
                started.push(m);
            } catch (e) {
                const outcomes = report(hostFor, olds, (_, member) =>
                    started.includes(member)
                        ? "on the checkpoint, started"
                        : member === m
                          ? `on the checkpoint, not started: ${reasonOf(e)}`
                          : "on the checkpoint, not started (not attempted)",
                );
                throw new CheckpointGroupError(
                    "roll back checkpoint group",
                    olds.name,
                    `every VM is on the checkpoint, but VM "${m.vmName}" could not be started`,
                    outcomes,
                    "Start the VMs not started, in this order, with `Start-VM`; or run `pulumi up` again, which rolls the whole group back and starts it again",
                    e,
                );
            }
        }
    }
    const rolledBack = `rolled back ${members.map((m) => m.vmName).join(", ")}`;
    return {
        lastRestoreTime: new Date().toISOString(),
        lastRestoreResult: started.length > 0 ? `${rolledBack}; started ${started.map((m) => m.vmName).join(", ")}` : rolledBack,
    };
}

function report(hostFor: HostFor, olds: GroupOutputs, outcome: (index: number, member: GroupMemberOutput) => string): MemberOutcome[] {
    return olds.members.map((m, i) => ({
        host: hostFor(m.host).displayName,
        vm: m.vmName,
        vmId: m.vmId,
        checkpoint: m.checkpointName,
        checkpointId: m.checkpointId,
        outcome: outcome(i, m),
    }));
}
