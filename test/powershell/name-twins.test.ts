import assert from "node:assert/strict";
import { orderedByVm, type HyperVHost } from "../../provider/host";
import { addVm, readLab, setHostSettings } from "../../provider/lab";
import { freshLab, removeLabs } from "../lab/helpers";
import { ADAPTERS, RealShells } from "./support/real-shells";

/*
 * Two VMs whose names JavaScript's toLowerCase takes for one ("kelvin09" and "Kelvin09" with the
 * Kelvin sign, U+212A), which Hyper-V and .NET tell apart. The host is the one the composition
 * root hands resources: the adapter behind the per-VM ordering. A checkpoint by name of the VM
 * with the Kelvin sign, asked for while one by id of the same VM runs, must wait for its turn:
 * run beside it, the host refuses it as busy (the lab's default, as Hyper-V is expected to).
 */

const shells = new RealShells();
const latency = { profile: "realistic" as const, timeScale: 0.1 };

describe("VMs whose names only JavaScript's case mapping confuses", () => {
    shells.hooks(ADAPTERS, removeLabs);

    for (const kind of ADAPTERS) {
        it(`never runs two changes of one VM at once, by id and by its name with the Kelvin sign, on ${kind}`, async function () {
            this.timeout(120_000);
            const { folder } = await freshLab();
            const kelvin = (await addVm(folder, { name: "\u212Aelvin09", state: "Running", checkpointType: "Standard" })).id;
            const twin = (await addVm(folder, { name: "kelvin09", state: "Running", checkpointType: "Standard" })).id;
            const host: HyperVHost = orderedByVm(kind === "lab" ? shells.host("lab", folder) : shells.hostOn(shells.target(kind, { maxSessions: 4 }), folder));
            // Both names seen (as after a refresh), each with its own VM; two shells warm.
            await Promise.all([host.getVm({ name: "\u212Aelvin09" }), host.getVm({ name: "kelvin09" })]);
            await setHostSettings(folder, { latency });

            const [byId, byName] = await Promise.allSettled([
                host.takeCheckpoint({ id: kelvin }, { name: "by id" }),
                host.takeCheckpoint({ name: "\u212Aelvin09" }, { name: "by name" }),
            ]);
            assert.equal(byId.status, "fulfilled");
            assert.equal(byName.status, "fulfilled", byName.status === "rejected" ? String(byName.reason) : "");
            const checkpoints = readLab(folder).checkpoints;
            assert.deepEqual(
                checkpoints.filter((c) => c.vmId === kelvin).map((c) => c.name),
                ["by id", "by name"],
                "one after the other, on the VM with the Kelvin sign",
            );
            assert.deepEqual(
                checkpoints.filter((c) => c.vmId === twin),
                [],
                "nothing on its twin",
            );
        });
    }
});
