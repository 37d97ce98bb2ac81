import * as fs from "node:fs";
import { checkpointProvider, configure, policyProvider, useHostFactory } from "../provider/root";
import { meterHosts } from "./metered-host";
import { fleetLab, fleetVmName } from "./lab-fleet";

/*
 * Provider overhead without the engine: each dynamic-provider method called as the engine calls
 * it, on N VMs x (1 policy + 2 checkpoints) of a fresh lab, one call at a time. The lab's own share
 * is the time spent inside HyperVHost calls, measured by wrapping the host's methods.
 */

export const PROVIDER_OPS = ["check", "diff", "create", "read", "delete"] as const;
export type ProviderOp = (typeof PROVIDER_OPS)[number];

export interface ProviderMeasurement {
    vms: number;
    resource: "VmCheckpointPolicy" | "Checkpoint";
    op: ProviderOp;
    calls: number;
    /** Mean milliseconds per call, all included. */
    msPerCall: number;
    /** Of which inside the simulated host (reading, validating, writing its document). */
    hostMsPerCall: number;
    hostCallsPerCall: number;
}

type Props = Record<string, unknown>;
type Provider = typeof policyProvider;

interface Declared {
    name: string;
    resource: ProviderMeasurement["resource"];
    provider: Provider;
    inputs: Props;
    id?: string;
    outs?: Props;
}

export async function measureProvider(sizes: number[]): Promise<ProviderMeasurement[]> {
    const all: ProviderMeasurement[] = [];
    for (const vms of sizes) {
        const folder = await fleetLab(vms);
        try {
            configure({ get: (k) => (k === "hyperv:host" ? `lab:${folder}` : undefined) });
            const host = meterHosts();
            const declared: Declared[] = [];
            for (let i = 0; i < vms; i++) {
                const vmName = fleetVmName(i);
                declared.push({ name: `policy-${vmName}`, resource: "VmCheckpointPolicy", provider: policyProvider, inputs: { vmName, type: "standard" } });
                declared.push({
                    name: `before-${vmName}`,
                    resource: "Checkpoint",
                    provider: checkpointProvider as unknown as Provider,
                    inputs: { vmName, name: "before change" },
                });
                declared.push({
                    name: `after-${vmName}`,
                    resource: "Checkpoint",
                    provider: checkpointProvider as unknown as Provider,
                    inputs: { vmName, name: "after change" },
                });
            }
            const ops: Record<ProviderOp, (d: Declared) => Promise<unknown>> = {
                check: (d) => d.provider.check!({}, d.inputs),
                create: async (d) => {
                    const res = await d.provider.create(d.inputs);
                    d.id = res.id;
                    d.outs = res.outs as Props;
                },
                diff: async (d) => {
                    const res = await d.provider.diff!(d.id!, d.outs as never, d.inputs);
                    if (res.changes) throw new Error(`${d.name}: diff found changes right after create`);
                },
                read: async (d) => {
                    const res = await d.provider.read!(d.id!, d.outs as never);
                    if (!res.props) throw new Error(`${d.name}: read found nothing right after create`);
                },
                delete: (d) => d.provider.delete!(d.id!, d.outs as never),
            };
            for (const op of ["check", "create", "diff", "read", "delete"] as const) {
                const byResource = new Map<Declared["resource"], { ms: number; hostMs: number; hostCalls: number; calls: number }>();
                // Checkpoints are deleted before the policy of their VM, as the engine orders it.
                const order = op === "delete" ? [...declared].reverse() : declared;
                for (const d of order) {
                    const hostBefore = { ...host };
                    const start = performance.now();
                    await ops[op](d);
                    const ms = performance.now() - start;
                    const acc = byResource.get(d.resource) ?? { ms: 0, hostMs: 0, hostCalls: 0, calls: 0 };
                    acc.ms += ms;
                    acc.hostMs += host.ms - hostBefore.ms;
                    acc.hostCalls += host.calls - hostBefore.calls;
                    acc.calls++;
                    byResource.set(d.resource, acc);
                }
                for (const [resource, acc] of byResource) {
                    all.push({
                        vms,
                        resource,
                        op,
                        calls: acc.calls,
                        msPerCall: round3(acc.ms / acc.calls),
                        hostMsPerCall: round3(acc.hostMs / acc.calls),
                        hostCallsPerCall: round3(acc.hostCalls / acc.calls),
                    });
                }
            }
        } finally {
            useHostFactory(undefined);
            fs.rmSync(folder, { recursive: true, force: true });
        }
    }
    return all;
}

function round3(x: number): number {
    return Math.round(x * 1000) / 1000;
}
