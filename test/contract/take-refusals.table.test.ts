import assert from "node:assert/strict";
import { configure, checkpointProvider, forgetPreview, useHostFactory } from "../../provider/root";
import { isHostError, takeRefusalOrder, type TakeRefusal } from "../../provider/host";
import { addVm, setVm, takeCheckpointOutOfBand, type NewVm } from "../../provider/lab";
import { freshLab, removeLabs } from "../lab/helpers";
import { RealShells, type AdapterKind } from "../powershell/support/real-shells";

/*
 * A VM under two refusals at once, for every pair Hyper-V can produce: preview and `up` name the
 * same one, the first in takeRefusalOrder, on the lab and through PowerShell remoting over SSH on
 * the stand-in module (there without the pairs of a 2012 R2 host, which SSH remoting cannot manage). Preview fails with it where it is certain and warns with it where the
 * moment decides (a VM in transition); either way in the words `up` fails with.
 */

interface Condition {
    /** The VM as added. */
    vm?: Partial<NewVm>;
    /** Applied after the checkpoints are taken (a Disabled or starting VM takes none). */
    later?: { state?: "Starting"; checkpointType?: "Disabled" };
    os?: "2012r2";
    type?: "standard" | "productionOnly";
    checkpoints?: number;
}

const conditions: Record<TakeRefusal, Condition> = {
    InvalidVmState: { later: { state: "Starting" } },
    UnsupportedByHost: { os: "2012r2", type: "standard" },
    CheckpointsDisabled: { later: { checkpointType: "Disabled" } },
    ProductionUnavailable: { vm: { version: "5.0" }, type: "productionOnly" },
    CheckpointLimit: { checkpoints: 50 },
};

/** A 2012 R2 host has no checkpoint types: nothing there is Disabled or production-only. */
const impossible = (a: TakeRefusal, b: TakeRefusal) =>
    [a, b].includes("UnsupportedByHost") && [a, b].some((c) => c === "CheckpointsDisabled" || c === "ProductionUnavailable");

const pairs = takeRefusalOrder.flatMap((a, i) => takeRefusalOrder.slice(i + 1).map((b) => [a, b] as const)).filter(([a, b]) => !impossible(a, b));

/** What `work` writes to stderr (where the provider's warnings go when the engine is not there). */
async function stderrOf<T>(work: () => Promise<T>): Promise<{ result: T; written: string }> {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
        written.push(String(chunk));
        return true;
    }) as typeof process.stderr.write;
    try {
        return { result: await work(), written: written.join("") };
    } finally {
        process.stderr.write = write;
    }
}

const shells = new RealShells();
const ADAPTERS: AdapterKind[] = ["lab", "pwsh-ssh"];

describe("a VM under two take refusals: preview and up name the same one", () => {
    shells.hooks(ADAPTERS, () => {
        useHostFactory(undefined);
        removeLabs();
    });

    it("covers every pair of refusals but the two a host without checkpoint types cannot hold", () => {
        assert.equal(pairs.length, 8);
    });

    for (const kind of ADAPTERS) {
        describe(`on ${kind === "lab" ? "the lab" : "PowerShell over SSH"}`, function () {
            this.timeout(180_000);

            // SSH remoting always reaches PowerShell 7, which refuses a 2012 R2 host (UnsupportedShell) before any take.
            const reachable = kind === "pwsh-ssh" ? pairs.filter((pair) => !pair.some((c) => conditions[c].os === "2012r2")) : pairs;
            for (const [first, second] of reachable) {
                it(`${first} and ${second}: both name ${first}`, async () => {
                    const both = [conditions[first], conditions[second]];
                    const os = both.find((c) => c.os)?.os;
                    const { folder } = await freshLab(os ? { os } : {});
                    await addVm(folder, { name: "vm", state: "Running", checkpointType: "Production", ...Object.assign({}, ...both.map((c) => c.vm)) });
                    const count = Math.max(0, ...both.map((c) => c.checkpoints ?? 0));
                    for (let i = 0; i < count; i++) await takeCheckpointOutOfBand(folder, { name: "vm" }, { name: `old ${i}` });
                    const later = Object.assign({}, ...both.map((c) => c.later));
                    if (Object.keys(later).length > 0) await setVm(folder, { name: "vm" }, later);
                    const type = both.find((c) => c.type)?.type;
                    const declaration = { vmName: "vm", name: "new", ...(type ? { type } : {}) };

                    // Another release is another machine: a session of its own.
                    const host = shells.host(kind, folder, { fresh: os !== undefined });
                    useHostFactory(() => host);
                    configure({ get: (k) => (k === "hyperv:host" ? `lab:${folder}` : undefined) });
                    forgetPreview();

                    const { result: previewed, written } = await stderrOf(() => checkpointProvider.check!({}, { ...declaration, __hvcpPreview: true }));
                    const previewSays = previewed.failures?.[0]?.reason ?? written;
                    const upFails = await checkpointProvider.create!(declaration).then(
                        () => assert.fail("up took the checkpoint"),
                        (e: unknown) => e,
                    );
                    assert.ok(isHostError(upFails), String(upFails));
                    assert.equal(upFails.code, first, upFails.message);
                    assert.ok(previewSays.includes(upFails.message), `preview said:\n${previewSays}\nup said:\n${upFails.message}`);
                });
            }
        });
    }
});
