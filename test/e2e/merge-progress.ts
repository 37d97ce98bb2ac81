import * as assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { readLab } from "../../provider/lab";
import type { OperationResult } from "./harness";

/*
 * What the engine shows of a merge, and when the lab has one under way: shared by the stacks that
 * watch merges on the lab (disks.test.ts) and over SSH (powershell-engine.test.ts).
 */

/**
 * The `merging: …` lines an operation showed, in order: at least two (the percentage moved), each
 * the status of the resource `name` (info, not a warning).
 */
export function mergeStatusLines(res: OperationResult, name: string): string[] {
    const statuses = res.events
        .map((e) => e.diagnosticEvent)
        .filter((d) => d !== undefined && /merging: \d+% done/.test(d.message))
        .map((d) => ({ message: d!.message.trim(), urn: d!.urn, severity: d!.severity }));
    assert.ok(statuses.length >= 2, JSON.stringify(statuses));
    assert.ok(
        statuses.every((s) => s.urn?.endsWith(`::${name}`) && s.severity === "info"),
        JSON.stringify(statuses),
    );
    return statuses.map((s) => s.message);
}

/** Resolves once the lab's VM `vmName` has a merge under way (a removal started it). */
export async function whenMerging(lab: string, vmName: string): Promise<void> {
    for (;;) {
        const merge = readLab(lab).vms.find((v) => v.name === vmName)?.merge;
        if (merge && Date.parse(merge.startedAt) + merge.durationMs > Date.now()) return;
        await sleep(100);
    }
}
