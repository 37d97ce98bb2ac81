import assert from "node:assert/strict";
import { isHostError } from "../../provider/host/errors";
import { productionBlocker } from "../../provider/host";
import { addVm, LabHost, readLab, setVolume, writeToVm, type InitLabOptions, type NewVm } from "../../provider/lab";
import { chainLength, type VmStorage } from "../../provider/host/storage";
import { freshLab, rejectsWith, removeLabs } from "../lab/helpers";
import { RealShells, type AdapterKind } from "./support/real-shells";

/*
 * What only a running PowerShell shows, on PowerShell 7 here and over SSH remoting, against the
 * Hyper-V stand-in: each test reproduces a defect found by running the adapter for real (or by
 * reading it) and guards its fix. Faults of the shell and the connection are in faults.test.ts.
 */

const shells = new RealShells();
const KINDS: Exclude<AdapterKind, "lab">[] = ["pwsh-local", "pwsh-ssh"];
const GiB = 1024 ** 3;

/** Get-VHD walks each chain from its leaf; the lab lists files as it made them. */
function byPath(storage: VmStorage): VmStorage {
    return { ...storage, disks: [...storage.disks].sort((a, b) => a.path.localeCompare(b.path)) };
}

async function labWith(options: InitLabOptions = {}) {
    const { folder } = await freshLab(options);
    const vmId = (await addVm(folder, { name: "web01", state: "Running", checkpointType: "Production" })).id;
    shells.useLab(folder);
    return { folder, vmId };
}

describe("PowerShell for real", () => {
    shells.hooks(KINDS, removeLabs);

    for (const kind of KINDS) {
        describe(`on ${kind}`, function () {
            this.timeout(120_000);

            it("looks a VM up by id with Get-VM -Id, never by listing every VM on the host", async () => {
                const { folder, vmId } = await labWith();
                for (let i = 0; i < 5; i++) await addVm(folder, { name: `other${i}` });
                const host = shells.host(kind, folder);
                shells.server.resetCalls();
                await host.getVmWithCheckpoints({ id: vmId });
                await host.takeCheckpoint({ id: vmId }, { name: "by id" });
                const reads = shells.server.calls.filter((c) => c.cmdlet === "Get-VM");
                assert.ok(reads.length > 0);
                for (const read of reads) assert.deepEqual(read.parameters.ids, [vmId], "every Get-VM of a VM named by id asks for that id only");
            });

            for (const passthru of ["none", "vm"] as const) {
                it(`reports a checkpoint that was taken when Checkpoint-VM -Passthru writes ${passthru === "none" ? "nothing" : "the VM"}`, async () => {
                    const { folder, vmId } = await labWith();
                    const host = shells.host(kind, folder);
                    shells.server.inject({ cmdlet: "Checkpoint-VM", passthru });
                    const taken = await host.takeCheckpoint({ id: vmId }, { name: "nightly" });
                    const onHost = readLab(folder).checkpoints;
                    assert.equal(onHost.length, 1);
                    assert.equal(taken.checkpoint.id, onHost[0]!.id);
                    assert.equal(taken.checkpoint.name, "nightly");
                    assert.equal(taken.kind, "production");
                });
            }

            it("puts the VM's policy back when a checkpoint under a temporary type outlives the timeout", async () => {
                const { folder, vmId } = await labWith();
                const host = shells.host(kind, folder, { timeouts: { operationSeconds: 3, removalSeconds: 60, connectSeconds: 60 }, fresh: true });
                await host.getVm({ id: vmId });
                shells.server.inject({ cmdlet: "Checkpoint-VM", stallMs: 6_000, times: 1 });
                const error = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "with memory", temporaryType: "Standard" }), "HostTimeout");
                assert.match(error.message, /did not finish within 3 s/);
                assert.match(error.message, /switched to Standard for this checkpoint, was put back to Production/);
                assert.match(error.message, /web01|[0-9a-f-]{36}/);
                assert.equal(readLab(folder).vms[0]!.checkpointType, "Production");
                // The host reads again by itself on the next call.
                assert.equal((await host.getVm({ id: vmId })).checkpointType, "Production");
            });

            it("refuses a production-only checkpoint in the provider's own words, for every blocker (the scripts' check is generated from provider/host)", async () => {
                const { folder } = await freshLab({ os: "2019" });
                const situations: Partial<NewVm>[] = [
                    { name: "old", version: "5.0" },
                    { name: "saved", state: "Saved" },
                    { name: "no-service", backupService: "none" },
                    { name: "service-off", backupService: "disabled" },
                    { name: "silent", guestBackupResponding: false },
                ];
                const host = shells.host(kind, folder);
                for (const situation of situations) {
                    const vm = await addVm(folder, { state: "Running", checkpointType: "ProductionOnly", ...situation } as NewVm);
                    const blocker = productionBlocker(vm);
                    assert.ok(blocker, situation.name);
                    const error = await rejectsWith(() => host.takeCheckpoint({ id: vm.id }, { name: "x" }), "ProductionUnavailable");
                    assert.ok(error.message.includes(blocker.detail), `${situation.name}: ${error.message} does not say "${blocker.detail}"`);
                }
                assert.equal(readLab(folder).checkpoints.length, 0);
            });

            it("reads disk files with Get-VHD and volumes with Win32_Volume as the lab has them, and refuses a take past maxChainDepth, minFreeSpace or a full volume", async () => {
                const { folder, vmId } = await labWith();
                const host = shells.host(kind, folder);
                await host.takeCheckpoint({ id: vmId }, { name: "one" });
                await writeToVm(folder, { id: vmId }, 2 * GiB);
                await setVolume(folder, "C:", 100 * GiB, 10 * GiB);
                const taken = await host.takeCheckpoint({ id: vmId }, { name: "two" });
                const lab = await new LabHost(folder).getVmWithCheckpoints({ id: vmId });
                assert.deepEqual(byPath(taken.storage), byPath(lab.storage));
                assert.deepEqual(byPath((await host.getVmWithCheckpoints({ id: vmId })).storage), byPath(lab.storage));
                assert.equal(chainLength(lab.storage.disks, lab.vm.hardDrives[0]!), 2);
                assert.ok(lab.storage.disks.some((d) => d.fileSize === 2 * GiB + 4 * 1024 ** 2));
                // The take script checks the program's limits in the provider's words (provider/host/take-guard.ts) before Checkpoint-VM.
                const deep = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "three", guard: { maxChainDepth: 2 } }), "ChainTooDeep");
                assert.match(deep.message, /would make a chain of 3 differencing disks, and maxChainDepth is 2/);
                const kept = await rejectsWith(
                    () => host.takeCheckpoint({ id: vmId }, { name: "three", guard: { minFreeSpace: "12.5%" } }),
                    "InsufficientSpace",
                );
                assert.match(kept.message, /minFreeSpace \(12\.5%\) keeps 13421772800 of its 107374182400 bytes free/);
                await setVolume(folder, "C:", 100 * GiB, 1024 ** 2);
                const full = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "three" }), "InsufficientSpace");
                assert.match(full.message, /volume C:\\ has 1048576 bytes free/);
                assert.equal(readLab(folder).checkpoints.length, 2);
            });

            it("refuses a host before Windows Server 2019 in PowerShell 7 up front, saying what to use instead", async () => {
                const { folder, vmId } = await labWith({ os: "2016" });
                const host = shells.host(kind, folder, { fresh: true });
                const error = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "x" }), "UnsupportedShell");
                assert.match(error.message, /Windows build 14393/);
                assert.match(error.message, kind === "pwsh-local" ? /hyperv:shell powershell/ : /WinRM/);
                assert.equal(readLab(folder).checkpoints.length, 0);
            });
        });
    }

    describe("the session start", function () {
        this.timeout(120_000);

        it("finds the result after the terminal mode sequences PowerShell 7 writes to a redirected stdout", async () => {
            const { folder } = await labWith();
            const host = shells.host("pwsh-local", folder, { fresh: true });
            const caps = await host.capabilities();
            assert.equal(caps.osBuild, 20348);
            assert.ok(isHostError(await host.getVm({ name: "nope" }).catch((e: unknown) => e), "VmNotFound"));
        });
    });
});
