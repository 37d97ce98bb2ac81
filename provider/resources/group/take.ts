import { randomUUID } from "node:crypto";
import { type MergeWatch, waitForMerge } from "../shared/merge-wait";
import { isHostError, mayHaveCompleted, type HostFor, type TakenCheckpoint } from "../../host";
import { explainRefusedTake } from "../shared/refused-take";
import { explainRefusal } from "../shared/refusals";
import { fellBackWithMemory } from "../shared/fallback-warning";
import type { WarnOnResource } from "../shared/resource-warnings";
import { vmRefOf } from "../shared/vm-target";
import { CheckpointGroupError, nothingTaken, reasonOf, type MemberOutcome } from "./errors";
import { LATE_TAKE_WAIT_MS, settleLateTake } from "./late-take";
import { declaredOf, memberOutput } from "./outputs";
import { checkpointDeclaration, takeRequest } from "./plan";
import type { SpentSpace } from "./guard";
import { refusalOf, sameVmAs, type CheckedMember } from "./refusals";
import type { GroupInputs, GroupOutputs } from "./schema";

/**
 * All or nothing: every VM is read once and checked against what Hyper-V refuses before any
 * checkpoint is taken; then they are taken in the declared order (with `simultaneous`, while the
 * running VMs are paused); when one fails, those already taken are removed again, and the error
 * names every VM and what happened to it. A take that failed without an answer (a timeout, a lost
 * connection) may still complete on the host: its checkpoint is waited for (up to
 * `lateTakeWaitMs`) and removed too, or named in the error with how to remove it. The engine
 * records nothing half done, so nothing may be left that no stack records.
 */
export async function createGroup(
    hostFor: HostFor,
    inputs: GroupInputs,
    warnOnResource: WarnOnResource,
    options: { lateTakeWaitMs?: number; merges?: MergeWatch } = {},
): Promise<{ id: string; outs: GroupOutputs }> {
    const startedAt = Date.now();
    const checked = await checkEveryVm(hostFor, inputs);
    if (options.merges) await waitForMergingMembers(hostFor, inputs, checked, options.merges, startedAt);
    const taken = await takeAll(hostFor, inputs, checked, warnOnResource, options.lateTakeWaitMs ?? LATE_TAKE_WAIT_MS);
    await warnOfLeftovers(inputs, taken, warnOnResource);
    const fellBack = taken.flatMap((t) => fellBackWithMemory(t) ?? []);
    if (fellBack.length > 0) await warnOnResource(inputs.resourceUrn, `group "${inputs.name}": ${fellBack.join("; ")}`);
    const members = taken.map((t, i) => memberOutput(checked[i]!.member, t));
    return { id: randomUUID(), outs: { ...declaredOf(inputs), members, lastRestoreTime: null, lastRestoreResult: null } };
}

/**
 * A VM still merging a removed checkpoint's disks (as its one read showed) is waited for before
 * anything is taken or paused, rather than a take piled on top; the host's take guard refuses one
 * that starts merging after the read.
 */
async function waitForMergingMembers(hostFor: HostFor, inputs: GroupInputs, checked: CheckedMember[], merges: MergeWatch, startedAt: number): Promise<void> {
    for (const c of checked) {
        if (!c.listing.vm.merge) continue;
        const target = {
            vm: { id: c.listing.vm.id },
            vmName: c.listing.vm.name,
            checkpoint: inputs.name!,
            urn: inputs.resourceUrn,
            operation: "take checkpoint group",
            whileWaiting: "nothing was taken on any VM of the group",
        };
        await waitForMerge(hostFor(c.member.host), target, merges, startedAt);
    }
}

/** One read per VM, all before anything changes; every refusal is reported at once. */
async function checkEveryVm(hostFor: HostFor, inputs: GroupInputs): Promise<CheckedMember[]> {
    const reads = await Promise.allSettled(
        inputs.vms.map(async (member): Promise<CheckedMember> => {
            const host = hostFor(member.host);
            const listing = await host.getVmWithCheckpoints(vmRefOf(member));
            return { member, hostName: host.displayName, listing, caps: await host.capabilities() };
        }),
    );
    const seen = new Map<string, number>();
    const spent: SpentSpace = new Map();
    let refused = false;
    const outcomes = reads.map((read, i): MemberOutcome => {
        const member = inputs.vms[i]!;
        const declared = { host: hostFor(member.host).displayName, vm: member.vmName ?? member.vmId!, checkpoint: inputs.name! };
        if (read.status === "rejected") {
            refused = true;
            return { ...declared, outcome: `refused: ${reasonOf(read.reason)}` };
        }
        const { vm } = read.value.listing;
        const at = { ...declared, vm: vm.name, vmId: vm.id };
        const key = `${read.value.hostName}\n${vm.id}`;
        const twin = seen.get(key);
        seen.set(key, twin ?? i);
        const why = twin !== undefined ? sameVmAs(twin) : refusalOf(inputs, read.value, spent);
        if (why === null) return { ...at, outcome: "checked: nothing taken" };
        refused = true;
        return { ...at, outcome: `refused: ${why}` };
    });
    if (refused) {
        throw nothingTaken(inputs.name!, outcomes, firstReason(reads));
    }
    return reads.map((r) => (r as PromiseFulfilledResult<CheckedMember>).value);
}

function firstReason(reads: PromiseSettledResult<unknown>[]): unknown {
    return reads.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
}

interface Failure {
    index: number;
    stage: "pause" | "take";
    error: unknown;
    /** When the failed step was asked for. */
    askedAt: Date;
}

/**
 * Takes every checkpoint in the declared order. With `simultaneous`, the running VMs are paused
 * first (Suspend-VM) and resumed in `finally` (Resume-VM), so the checkpoints capture one moment
 * of the whole group. A failure removes the checkpoints already taken.
 */
async function takeAll(
    hostFor: HostFor,
    inputs: GroupInputs,
    checked: CheckedMember[],
    warnOnResource: WarnOnResource,
    lateTakeWaitMs: number,
): Promise<TakenCheckpoint[]> {
    const taken: TakenCheckpoint[] = [];
    const paused: number[] = [];
    const notResumed = new Map<number, string>();
    let failure: Failure | undefined;
    try {
        if (inputs.simultaneous === true) {
            for (const [index, c] of checked.entries()) {
                if (c.listing.vm.state !== "Running") continue;
                const host = hostFor(c.member.host);
                const askedAt = new Date();
                try {
                    await host.suspendVm(c.listing.vm.id);
                    paused.push(index);
                } catch (error) {
                    failure = { index, stage: "pause", error, askedAt };
                    break;
                }
            }
        }
        for (const [index, c] of checked.entries()) {
            if (failure) break;
            const host = hostFor(c.member.host);
            const ref = { id: c.listing.vm.id };
            const askedAt = new Date();
            try {
                taken.push(await host.takeCheckpoint(ref, takeRequest(inputs, c.member)));
            } catch (refusal) {
                const error = await explainRefusal(host, ref, refusal, ({ vm, checkpoints }, caps) =>
                    explainRefusedTake(checkpointDeclaration(inputs, c.member), vm, checkpoints.length, caps, host.displayName),
                );
                failure = { index, stage: "take", error, askedAt };
            }
        }
    } finally {
        for (const index of paused) {
            const c = checked[index]!;
            const host = hostFor(c.member.host);
            await host.resumeVm(c.listing.vm.id).catch((e: unknown) => {
                notResumed.set(
                    index,
                    `paused for the checkpoints and could not be resumed (${reasonOf(e)}): run \`Resume-VM -Id ${c.listing.vm.id}\` on the host`,
                );
            });
        }
    }
    if (failure) throw await undo(hostFor, inputs, checked, taken, failure, notResumed, lateTakeWaitMs);
    if (notResumed.size > 0) {
        await warnOnResource(
            inputs.resourceUrn,
            `the checkpoints of group "${inputs.name}" were taken, but ${[...notResumed].map(([i, why]) => `VM "${checked[i]!.listing.vm.name}" was ${why}`).join("; ")}`,
        );
    }
    return taken;
}

/** Removes what was taken, newest first, and reports every VM. */
async function undo(
    hostFor: HostFor,
    inputs: GroupInputs,
    checked: CheckedMember[],
    taken: TakenCheckpoint[],
    failure: Failure,
    notResumed: Map<number, string>,
    lateTakeWaitMs: number,
): Promise<CheckpointGroupError> {
    const outcomes: string[] = checked.map((_, i) =>
        i === failure.index ? `${failure.stage === "pause" ? "could not be paused" : "failed"}: ${reasonOf(failure.error)}` : "not attempted",
    );
    let allRemoved = true;
    for (let i = taken.length - 1; i >= 0; i--) {
        const { checkpoint } = taken[i]!;
        const host = hostFor(checked[i]!.member.host);
        try {
            await host.removeCheckpoint(checkpoint.vmId, checkpoint.id);
            outcomes[i] = `taken (${checkpoint.id}), then removed again`;
        } catch (e) {
            if (isHostError(e, "CheckpointNotFound")) {
                outcomes[i] = `taken (${checkpoint.id}), and already gone`;
                continue;
            }
            allRemoved = false;
            outcomes[i] =
                `taken (${checkpoint.id}), and could not be removed (${reasonOf(e)}): remove it with \`Get-VMSnapshot -VMName "${checkpoint.vmName}" | Where-Object Id -eq "${checkpoint.id}" | Remove-VMSnapshot\``;
        }
    }
    if (failure.stage === "take" && mayHaveCompleted(failure.error)) {
        const c = checked[failure.index]!;
        const { vm, checkpoints } = c.listing;
        const late = await settleLateTake(
            { host: hostFor(c.member.host), vmId: vm.id, vmName: vm.name, name: inputs.name!, before: checkpoints, askedAt: failure.askedAt },
            lateTakeWaitMs,
        );
        outcomes[failure.index] += `; ${late.outcome}`;
        if (!late.settled) allRemoved = false;
    }
    const report = checked.map(
        (c, i): MemberOutcome => ({
            host: hostFor(c.member.host).displayName,
            vm: c.listing.vm.name,
            vmId: c.listing.vm.id,
            checkpoint: inputs.name!,
            ...(taken[i] ? { checkpointId: taken[i]!.checkpoint.id } : {}),
            outcome: notResumed.has(i) ? `${outcomes[i]}; ${notResumed.get(i)}` : outcomes[i]!,
        }),
    );
    const summary = allRemoved ? "nothing is left on any VM" : "checkpoints may be left on some VMs: each is listed with how to remove it";
    return new CheckpointGroupError("take checkpoint group", inputs.name!, summary, report, "Fix the failure and run `pulumi up` again", failure.error);
}

/**
 * A checkpoint of the same name may be one an interrupted `pulumi up` of this group took after
 * the engine lost the provider (the engine then records nothing, and refresh cannot see it), or
 * one of the group this one replaces. Names may repeat on Hyper-V: a warning, naming each one.
 */
async function warnOfLeftovers(inputs: GroupInputs, taken: TakenCheckpoint[], warnOnResource: WarnOnResource): Promise<void> {
    const leftovers = taken.flatMap(({ vm, namesakes }) =>
        namesakes.map((cp) => `VM "${vm.name}" (${vm.id}): "${cp.name}" ${cp.id}, taken ${cp.creationTime}`),
    );
    if (leftovers.length === 0) return;
    await warnOnResource(
        inputs.resourceUrn,
        `the group's VMs already had checkpoints named "${inputs.name}"; took new ones. If an interrupted \`pulumi up\` left them behind, remove them ` +
            `(\`Get-VMSnapshot -VMName <vm> | Where-Object Id -eq <id> | Remove-VMSnapshot\`, or \`npx hyperv-lab checkpoint remove <vm> <id>\` on a lab); ` +
            `if this group is being replaced, they are the old group's and go next: ${leftovers.join("; ")}`,
    );
}
