import * as fs from "node:fs";
import type { MergeWatch } from "../provider/resources/shared/merge-wait";
import type { HyperVHost } from "../provider/host";
import { LabHost } from "../provider/lab";
import { takeCheckpointOutOfBand } from "../provider/lab";
import { createPowerShellHost, type InvocationOptions, type Transport } from "../provider/powershell";
import { openSessionCount } from "../provider/powershell/sessions";
import { LabTransport } from "../test/powershell/support/lab-transport";
import { configureSettings, hostFor } from "../provider/root";
import { createCheckpoint, deleteCheckpoint, readCheckpoint, updateCheckpoint } from "../provider/resources/checkpoint/lifecycle";
import { checkpointInputsSchema } from "../provider/resources/checkpoint/schema";
import { applyPolicy, readPolicy, restorePolicy } from "../provider/resources/policy/lifecycle";
import { policyInputsSchema } from "../provider/resources/policy/schema";
import { readHostSettings } from "../provider/config";
import { engineWarnings } from "../provider/engine-log";
import { fleetLab, fleetVmName } from "./lab-fleet";

/*
 * Host traffic through the PowerShell adapter: its scripts go to a recording transport whose
 * canned answers come from a lab (so they are realistic in shape and size), and every round trip
 * is counted with the bytes of the script sent and of the JSON document returned.
 */

interface RoundTrip {
    operation: string;
    bytesOut: number;
    bytesIn: number;
}

/**
 * Answers each operation script as a Hyper-V host running it would, from a lab (the tests'
 * stand-in host), and records every round trip with its bytes.
 */
class RecordingLabTransport implements Transport {
    readonly displayName = "recorded-host";
    readonly trips: RoundTrip[] = [];
    private readonly lab: LabTransport;

    constructor(lab: HyperVHost) {
        this.lab = new LabTransport(lab);
    }

    async invoke(script: string, options: InvocationOptions): Promise<string> {
        const answer = await this.lab.invoke(script, options);
        const operation = /^# hyperv-checkpoints: (.+)$/m.exec(script)?.[1] ?? "?";
        this.trips.push({ operation, bytesOut: Buffer.byteLength(script), bytesIn: Buffer.byteLength(answer) });
        return answer;
    }

    async dispose(): Promise<void> {}
}

export interface OperationTraffic {
    resource: "VmCheckpointPolicy" | "Checkpoint";
    op: string;
    /** Round trips per operation, averaged over the VMs. */
    roundTrips: number;
    bytesOutPerTrip: number;
    bytesInPerTrip: number;
    /** The scripts run, in order, for the first VM. */
    scripts: string[];
}

export interface RefreshTraffic {
    checkpoints: number;
    hostQueries: number;
}

export interface ShellCount {
    hosts: number;
    resources: number;
    sessions: number;
}

export interface TrafficMeasurement {
    vms: number;
    operations: OperationTraffic[];
}

function psHostOn(transport: Transport): HyperVHost {
    return createPowerShellHost({ kind: "local", timeouts: { operationSeconds: 120, removalSeconds: 1800, connectSeconds: 60 } }, { transport });
}

/** Every resource operation on `vms` VMs through one PowerShell host (one provider process). */
export async function measureOperations(vms: number): Promise<TrafficMeasurement> {
    const folder = await fleetLab(vms);
    try {
        const transport = new RecordingLabTransport(new LabHost(folder));
        const host = psHostOn(transport);
        const operations: OperationTraffic[] = [];
        const track = async (resource: OperationTraffic["resource"], op: string, each: (i: number) => Promise<unknown>) => {
            const from = transport.trips.length;
            let firstEnd = from;
            // One VM at a time in order, the policy's operations not overlapping one another, as
            // when the engine runs them: the per-operation count is then exact.
            for (let i = 0; i < vms; i++) {
                await each(i);
                if (i === 0) firstEnd = transport.trips.length;
            }
            const trips = transport.trips.slice(from);
            operations.push({
                resource,
                op,
                roundTrips: trips.length / vms,
                bytesOutPerTrip: Math.round(trips.reduce((a, t) => a + t.bytesOut, 0) / Math.max(1, trips.length)),
                bytesInPerTrip: Math.round(trips.reduce((a, t) => a + t.bytesIn, 0) / Math.max(1, trips.length)),
                scripts: transport.trips.slice(from, firstEnd).map((t) => t.operation),
            });
        };
        const policies: Awaited<ReturnType<typeof applyPolicy>>[] = [];
        const checkpoints: { id: string; outs: Awaited<ReturnType<typeof createCheckpoint>>["outs"] }[] = [];
        await track("VmCheckpointPolicy", "create", async (i) => {
            policies[i] = await applyPolicy(host, policyInputsSchema.parse({ vmName: fleetVmName(i), type: "standard" }));
        });
        await track("Checkpoint", "create", async (i) => {
            checkpoints[i] = await createCheckpoint(
                host,
                checkpointInputsSchema.parse({ vmName: fleetVmName(i), name: "before change" }),
                engineWarnings(undefined),
                noMergeStatus,
            );
        });
        await track("VmCheckpointPolicy", "update (no change to write)", async (i) => {
            policies[i] = await applyPolicy(host, policyInputsSchema.parse({ vmName: fleetVmName(i), type: "standard" }), policies[i]);
        });
        await track("VmCheckpointPolicy", "update (a change to write)", async (i) => {
            policies[i] = await applyPolicy(
                host,
                policyInputsSchema.parse({ vmName: fleetVmName(i), type: "standard", automaticCheckpoints: false }),
                policies[i],
            );
        });
        await track("Checkpoint", "update (rename)", async (i) => {
            const { id, outs } = checkpoints[i]!;
            checkpoints[i] = {
                id,
                outs: await updateCheckpoint(host, id, outs, checkpointInputsSchema.parse({ vmName: fleetVmName(i), name: "before the change" })),
            };
        });
        await track("VmCheckpointPolicy", "read", (i) => readPolicy(host, policies[i]!));
        await track("Checkpoint", "read", (i) => readCheckpoint(host, checkpoints[i]!.id, checkpoints[i]!.outs, engineWarnings(undefined)));
        await track("Checkpoint", "delete", (i) => deleteCheckpoint(host, checkpoints[i]!.id, checkpoints[i]!.outs, noMergeStatus));
        await track("VmCheckpointPolicy", "delete", (i) => restorePolicy(host, policies[i]!));
        return { vms, operations };
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

/** Deletes wait for merges as the provider does; the lab has no latency here, so there are none to show. */
const noMergeStatus: MergeWatch = { timeoutSeconds: () => 1800, report: async () => undefined, pollMs: 1000 };

/** Host queries for a refresh of `count` checkpoints of one VM, read concurrently as the engine does. */
export async function measureRefresh(count: number): Promise<RefreshTraffic> {
    const folder = await fleetLab(1);
    try {
        const vmName = fleetVmName(0);
        const taken = [];
        for (let i = 0; i < count; i++) taken.push(await takeCheckpointOutOfBand(folder, { name: vmName }, { name: `cp${i}` }));
        const transport = new RecordingLabTransport(new LabHost(folder));
        const host = psHostOn(transport);
        const { vm } = await host.getVmWithCheckpoints({ name: vmName });
        const before = transport.trips.length;
        const outs = taken.map((t) => ({
            vmId: vm.id,
            vmName,
            vmNameDeclared: vmName,
            name: t.checkpoint.name,
            checkpointName: t.checkpoint.name,
            kind: t.kind,
            fellBack: t.fellBack,
            holdsMemory: false,
            vmStateAtCreation: t.vmStateAtCreation,
            snapshotType: t.checkpoint.snapshotType,
            parentCheckpointId: t.checkpoint.parentId,
            creationTime: t.checkpoint.creationTime,
            lastRestoreTime: null,
            adopted: false,
        }));
        const read = await Promise.all(taken.map((t, i) => readCheckpoint(host, t.checkpoint.id, outs[i]!, engineWarnings(undefined))));
        if (read.some((r) => r === undefined)) throw new Error("a checkpoint went missing during the refresh");
        return { checkpoints: count, hostQueries: transport.trips.length - before };
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

/**
 * Shell sessions opened in this process by `resources` resources spread over `hosts` remote
 * hosts, resolved as the provider resolves them (hostFor): each session is one pool of shells.
 */
let shellRun = 0;

export function measureShells(hosts: number, resources: number): ShellCount {
    const run = ++shellRun;
    const before = openSessionCount();
    const settings = readHostSettings({ get: (k) => (k === "hyperv:keyFile" ? "/dev/null" : undefined) });
    configureSettings(settings);
    for (let r = 0; r < resources; r++) hostFor(`ssh://bench@run${run}-host${r % hosts}.example`);
    return { hosts, resources, sessions: openSessionCount() - before };
}
