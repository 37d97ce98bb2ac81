import assert from "node:assert/strict";
import { HostError, orderedByVm, sameIgnoringCase, type HyperVHost, type VmRef } from "../../provider/host";

/*
 * The per-VM ordering every host gets from the composition root: what a stack with many
 * resources on a few VMs relies on (Hyper-V refuses a second operation on a busy VM).
 */

const A = "aaaaaaaa-0000-0000-0000-000000000001";
const B = "bbbbbbbb-0000-0000-0000-000000000002";
const K = "cccccccc-0000-0000-0000-000000000003";
const KELVIN = "dddddddd-0000-0000-0000-000000000004";
/** The host's VMs by name; names compare as the host compares them (the Kelvin sign is not k). */
const names: Record<string, string> = { web: A, db: B, kelvin09: K, "\u212Aelvin09": KELVIN };
const idByName = (name: string) => Object.entries(names).find(([n]) => sameIgnoringCase(n, name))?.[1];

/** A host whose calls take `ms` and are recorded with how many ran at once, per VM and in all. */
function slowHost(ms = 15, maxConcurrent?: number) {
    const log: string[] = [];
    const running = new Map<string, number>();
    const seen = { maxPerVm: 0, maxInAll: 0, inAll: 0, reads: 0 };
    const idOf = (ref: VmRef) => ("id" in ref ? ref.id.toLowerCase() : (idByName(ref.name) ?? `unknown ${ref.name}`));
    const known = (ref: VmRef) => {
        if (!("id" in ref) && !idByName(ref.name)) throw new HostError("VmNotFound", `no VM named ${ref.name}`, { host: "slow", vm: ref.name });
    };
    const vmOf = (ref: VmRef) => ({ id: idOf(ref), name: Object.keys(names).find((n) => names[n] === idOf(ref)) ?? idOf(ref) });
    const step = async <T>(vmId: string, label: string, answer: () => T): Promise<T> => {
        running.set(vmId, (running.get(vmId) ?? 0) + 1);
        seen.inAll++;
        seen.maxPerVm = Math.max(seen.maxPerVm, running.get(vmId)!);
        seen.maxInAll = Math.max(seen.maxInAll, seen.inAll);
        try {
            await new Promise((r) => setTimeout(r, ms));
            log.push(label);
            return answer();
        } finally {
            running.set(vmId, running.get(vmId)! - 1);
            seen.inAll--;
        }
    };
    const host = {
        displayName: "slow",
        capabilities: async () => ({}) as never,
        getVm: (ref: VmRef) =>
            step(`read ${idOf(ref)}`, "getVm", () => {
                known(ref);
                return vmOf(ref) as never;
            }),
        getVmWithCheckpoints: (ref: VmRef) => {
            seen.reads++;
            return step(`read ${idOf(ref)}`, `read ${seen.reads}`, () => ({ vm: vmOf(ref), checkpoints: [], read: seen.reads }) as never);
        },
        applyCheckpointSettings: (ref: VmRef) => step(idOf(ref), "settings", () => ({ after: vmOf(ref) }) as never),
        takeCheckpoint: (ref: VmRef, request: { name: string }) => {
            if (request.name === "refused")
                return step(idOf(ref), "refused", () => {
                    throw new HostError("CheckpointsDisabled", "disabled", { host: "slow" });
                });
            return step(idOf(ref), request.name, () => {
                known(ref);
                return { vm: vmOf(ref) } as never;
            });
        },
        applyCheckpoint: (vmId: string) => step(vmId.toLowerCase(), "apply", () => ({}) as never),
        renameCheckpoint: (vmId: string, _c: string, name: string) => step(vmId.toLowerCase(), `rename ${name}`, () => ({}) as never),
        removeCheckpoint: (vmId: string) => step(vmId.toLowerCase(), "remove", () => ({})),
        startVm: (vmId: string) => step(vmId.toLowerCase(), "start", () => ({}) as never),
        suspendVm: (vmId: string) => step(vmId.toLowerCase(), "suspend", () => ({}) as never),
        resumeVm: (vmId: string) => step(vmId.toLowerCase(), "resume", () => ({}) as never),
        dispose: async () => undefined,
    } satisfies HyperVHost;
    return { host: orderedByVm(host, maxConcurrent !== undefined ? { maxConcurrent } : {}), log, seen };
}

describe("per-VM ordering (every host, through the composition root)", () => {
    it("runs the mutations of one VM one after another, in the order asked, whatever the case of its id", async () => {
        const { host, log, seen } = slowHost();
        await Promise.all([
            host.takeCheckpoint({ id: A }, { name: "a" }),
            host.takeCheckpoint({ id: A.toUpperCase() }, { name: "b" }),
            host.renameCheckpoint(A, "c1", "c"),
            host.removeCheckpoint(A, "c1"),
        ]);
        assert.equal(seen.maxPerVm, 1);
        assert.deepEqual(log, ["a", "b", "rename c", "remove"]);
    });

    it("lets the mutations of different VMs run side by side", async () => {
        const { host, seen } = slowHost();
        await Promise.all([host.takeCheckpoint({ id: A }, { name: "a" }), host.takeCheckpoint({ id: B }, { name: "b" })]);
        assert.equal(seen.maxInAll, 2);
    });

    it("runs a mutation of a VM named by a name it has not seen at once when nothing is in flight: no lookup", async () => {
        const { host, log } = slowHost();
        await host.takeCheckpoint({ name: "web" }, { name: "web by name" });
        assert.deepEqual(log, ["web by name"]);
    });

    it("looks up a name it has not seen while other VMs' work is in flight, and runs beside them in that VM's turn", async () => {
        const { host, log, seen } = slowHost();
        await Promise.all([
            host.takeCheckpoint({ id: B }, { name: "db first" }),
            host.takeCheckpoint({ name: "WEB" }, { name: "web by name" }),
            host.takeCheckpoint({ id: A }, { name: "web by id" }),
        ]);
        assert.equal(seen.maxPerVm, 1, "by name or by id, one VM runs one operation at a time");
        assert.equal(seen.maxInAll, 3, "the lookup ran beside the work in flight, and web beside db");
        assert.deepEqual([...log].sort(), ["db first", "getVm", "web by id", "web by name"]);
        log.length = 0;
        seen.maxInAll = 0;
        await Promise.all([
            host.takeCheckpoint({ name: "web" }, { name: "by name" }),
            host.takeCheckpoint({ id: A }, { name: "by id" }),
            host.takeCheckpoint({ id: B }, { name: "other" }),
        ]);
        assert.deepEqual(log.slice(0, 2).sort(), ["by name", "other"], "the name now leads to the id: no lookup, the VM's turn in the order asked");
        assert.equal(seen.maxPerVm, 1);
        assert.equal(seen.maxInAll, 2, "the other VM went alongside");
    });

    it("keys names as the host tells them apart: a VM named with the Kelvin sign never takes the turn of its twin named with k", async () => {
        const { host, seen } = slowHost();
        await host.getVm({ name: "\u212Aelvin09" });
        await host.getVm({ name: "kelvin09" });
        await Promise.all([host.takeCheckpoint({ id: KELVIN }, { name: "by id" }), host.takeCheckpoint({ name: "\u212Aelvin09" }, { name: "by name" })]);
        assert.equal(seen.maxPerVm, 1, "one VM, one operation at a time, whatever its name");
    });

    it("runs a mutation by a name the host does not know alone, after the work in flight, and fails in the host's words", async () => {
        const { host, log } = slowHost();
        const [db, ghost] = await Promise.allSettled([
            host.takeCheckpoint({ id: B }, { name: "db first" }),
            host.takeCheckpoint({ name: "ghost" }, { name: "ghost's" }),
        ]);
        assert.equal(db.status, "fulfilled");
        assert.equal(ghost.status, "rejected");
        assert.equal((ghost as PromiseRejectedResult).reason.code, "VmNotFound");
        assert.deepEqual(
            log.filter((l) => l !== "getVm"),
            ["db first", "ghost's"],
        );
    });

    it("keeps going after a refused mutation", async () => {
        const { host, log } = slowHost();
        const [a, b] = await Promise.allSettled([host.takeCheckpoint({ id: A }, { name: "refused" }), host.takeCheckpoint({ id: A }, { name: "next" })]);
        assert.equal(a.status, "rejected");
        assert.equal(b.status, "fulfilled");
        assert.deepEqual(log, ["refused", "next"]);
    });

    it("shares one query among overlapping reads of a VM, and reads again after a mutation", async () => {
        const { host, seen } = slowHost();
        const reads = await Promise.all(Array.from({ length: 50 }, () => host.getVmWithCheckpoints({ id: A })));
        assert.equal(seen.reads, 1, "50 overlapping reads, one query");
        assert.equal(new Set(reads).size, 1);
        await host.takeCheckpoint({ id: A }, { name: "a" });
        await host.getVmWithCheckpoints({ id: A });
        assert.equal(seen.reads, 2, "a read after the mutation is not served from before it");
        await Promise.all([host.getVmWithCheckpoints({ id: A }), host.getVmWithCheckpoints({ id: B })]);
        assert.equal(seen.reads, 4, "reads of different VMs are different queries");
    });

    it("lets at most hyperv:maxSessions calls reach the host at once, reads included", async () => {
        const { host, seen } = slowHost(15, 2);
        const vms = Array.from({ length: 6 }, (_, i) => `cccccccc-0000-0000-0000-00000000000${i}`);
        await Promise.all([...vms.map((id) => host.takeCheckpoint({ id }, { name: id })), ...vms.map((id) => host.getVmWithCheckpoints({ id }))]);
        assert.equal(seen.maxInAll, 2);
    });
});
