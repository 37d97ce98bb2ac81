import { setTimeout as sleep } from "node:timers/promises";
import { isHostError, type Checkpoint, type HyperVHost } from "../../host";
import { reasonOf } from "./errors";

/**
 * How long a group waits for a checkpoint whose take failed without an answer (a timeout, a lost
 * connection) to show up on its VM. Hyper-V finishes a Checkpoint-VM whose shell was stopped; a
 * take that outlived hyperv:timeoutSeconds (120 s by default) usually needs seconds more, rarely
 * minutes. Past this the error names the checkpoint to look for instead.
 */
export const LATE_TAKE_WAIT_MS = 120_000;
const POLL_MS = 1_000;

export interface LateTake {
    host: HyperVHost;
    vmId: string;
    vmName: string;
    /** The checkpoint's name: the group's. */
    name: string;
    /** The VM's checkpoints before the take: a namesake among them is not the late one. */
    before: readonly Checkpoint[];
    /** When the take was asked for: the late checkpoint was created after it. */
    askedAt: Date;
}

/**
 * Waits for a take that may still complete, and removes what it made: returns what happened, in
 * the words of the group's error, and whether nothing of it is left (as far as could be seen).
 */
export async function settleLateTake(take: LateTake, waitMs = LATE_TAKE_WAIT_MS): Promise<{ outcome: string; settled: boolean }> {
    const known = new Set(take.before.map((c) => c.id));
    const deadline = Date.now() + waitMs;
    let lastProblem = "";
    for (;;) {
        try {
            const { checkpoints } = await take.host.getVmWithCheckpoints({ id: take.vmId });
            const late = checkpoints.find((c) => c.name === take.name && !known.has(c.id));
            if (late) {
                await take.host.removeCheckpoint(take.vmId, late.id);
                return { outcome: `its checkpoint appeared afterwards (${late.id}) and was removed again`, settled: true };
            }
            lastProblem = "";
        } catch (e) {
            // The take may still hold the VM (a busy refusal of the removal): wait for it as for the checkpoint.
            if (isHostError(e, "CheckpointNotFound")) continue;
            lastProblem = ` (the last attempt: ${reasonOf(e)})`;
        }
        if (Date.now() + POLL_MS > deadline) break;
        await sleep(POLL_MS);
    }
    const quoted = take.name.replace(/'/g, "''");
    return {
        outcome:
            `its checkpoint may still appear: none was seen within ${Math.round(waitMs / 1000)} s${lastProblem}. ` +
            `Look for one named "${take.name}" created after ${take.askedAt.toISOString()} and remove it: ` +
            `\`Get-VMSnapshot -VMId ${take.vmId} | Where-Object { $_.Name -ceq '${quoted}' -and $_.CreationTime -gt [datetime]'${take.askedAt.toISOString()}' } | Remove-VMSnapshot\`` +
            ` (on a lab: \`npx hyperv-lab show ${take.vmId}\`, then \`npx hyperv-lab checkpoint remove ${take.vmId} <id>\`)`,
        settled: false,
    };
}
