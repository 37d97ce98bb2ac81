import * as fs from "node:fs";
import { checkpointProvider, configure, forgetPreview, policyProvider, useHostFactory } from "../provider/root";
import { meterHosts } from "./metered-host";
import { PREVIEW_FLAG } from "../provider/resources/shared/preview";
import { fleetLab, fleetVmName } from "./lab-fleet";

/*
 * What preview's predictions cost: every resource's `check` called as the engine calls it in a
 * preview (the SDK's flag true) and in an up (false), on N VMs x (1 policy + 2 checkpoints) of a
 * fresh lab, in one process as in one provider process. Host calls are counted and timed by
 * wrapping the host's methods; the two modes run the same code on the same lab.
 */

type Props = Record<string, unknown>;

/** One line per mode (up, then preview) with the measured figures. */
export async function measurePreviewCost(vms: number): Promise<string[]> {
    const lines: string[] = [];
    const folder = await fleetLab(vms);
    try {
        configure({ get: (k) => (k === "hyperv:host" ? `lab:${folder}` : undefined) });
        const host = meterHosts();
        const declared: { provider: typeof policyProvider; inputs: Props }[] = [];
        for (let i = 0; i < vms; i++) {
            const vmName = fleetVmName(i);
            declared.push({ provider: policyProvider, inputs: { vmName, type: "standard" } });
            declared.push({ provider: checkpointProvider as unknown as typeof policyProvider, inputs: { vmName, name: "before change" } });
            declared.push({ provider: checkpointProvider as unknown as typeof policyProvider, inputs: { vmName, name: "after change" } });
        }
        for (const preview of [false, true]) {
            forgetPreview();
            const before = { ...host, byMethod: { ...host.byMethod } };
            const start = performance.now();
            // The engine checks resources as the program registers them, many at once.
            await Promise.all(declared.map((d) => d.provider.check!({}, { ...d.inputs, [PREVIEW_FLAG]: preview })));
            const ms = performance.now() - start;
            const methods = Object.entries(host.byMethod)
                .map(([m, n]) => [m, n - (before.byMethod[m] ?? 0)] as const)
                .filter(([, n]) => n > 0);
            lines.push(
                `${vms} VMs, ${declared.length} resources, check in ${preview ? "preview" : "up"}: ${ms.toFixed(0)} ms wall, ` +
                    `${host.calls - before.calls} host calls (${methods.map(([m, n]) => `${m} ${n}`).join(", ") || "none"})`,
            );
        }
    } finally {
        useHostFactory(undefined);
        fs.rmSync(folder, { recursive: true, force: true });
    }
    return lines;
}

if (require.main === module) {
    const sizes = (process.argv[2] ?? "10,100,500").split(",").map(Number);
    void (async () => {
        for (const vms of sizes) for (const line of await measurePreviewCost(vms)) console.log(line);
    })();
}
