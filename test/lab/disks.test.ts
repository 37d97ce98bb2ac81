import * as assert from "node:assert/strict";
import { LabHost, setVolume, writeToVm } from "../../provider/lab";
import { chainLength, differencingBytes } from "../../provider/host/storage";
import { labWithVm, rejectsWith, removeLabs } from "./helpers";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe("lab host: disks, volumes and the space they take", () => {
    afterEach(removeLabs);

    it("reports each disk file's size and parent, and each volume's capacity and free space, in the VM's read", async () => {
        const { folder, host, vmId } = await labWithVm({ state: "Off", memoryMB: 1024 });
        await setVolume(folder, "C:", 100 * GiB, 50 * GiB);
        await host.takeCheckpoint({ id: vmId }, { name: "one" });
        await writeToVm(folder, { id: vmId }, 3 * GiB);
        await host.takeCheckpoint({ id: vmId }, { name: "two" });
        const { vm, storage } = await host.getVmWithCheckpoints({ id: vmId });
        assert.equal(storage.memoryBytes, 1024 * MiB);
        const current = vm.hardDrives[0] as string;
        assert.equal(chainLength(storage.disks, current), 2, "base <- one's disk <- two's disk");
        const sizes = storage.disks.map((d) => d.fileSize).sort((a, b) => a - b);
        assert.deepEqual(sizes, [0, 4 * MiB, 3 * GiB + 4 * MiB], "the base, the new leaf, and the disk the guest wrote 3 GiB into");
        assert.equal(differencingBytes(storage.disks), 3 * GiB + 8 * MiB);
        // The 50 GiB free when the volume was sized, less what the files took since.
        assert.deepEqual(storage.volumes, [{ name: "C:\\", capacity: 100 * GiB, freeSpace: 50 * GiB - 3 * GiB - 8 * MiB }]);
    });

    it("refuses a standard checkpoint of a running VM whose memory does not fit, naming the volume, and changes nothing", async () => {
        const { folder, host, vmId } = await labWithVm({ state: "Running", checkpointType: "Standard", memoryMB: 4096 });
        await host.applyCheckpointSettings({ id: vmId }, { checkpointFileLocation: "D:\\Checkpoints" });
        await setVolume(folder, "D:", 100 * GiB, 2 * GiB);
        const error = await rejectsWith(() => host.takeCheckpoint({ id: vmId }, { name: "too big" }), "InsufficientSpace");
        assert.match(error.message, /volume D:\\ has 2147483648 bytes free and the operation needs 4294967296/);
        const { checkpoints, storage } = await new LabHost(folder).getVmWithCheckpoints({ id: vmId });
        assert.deepEqual(checkpoints, []);
        assert.equal(storage.disks.length, 1, "no differencing disk was left behind");
    });

    it("fails a removal whose merge does not fit on the volume, with the reason, and keeps the checkpoint", async () => {
        const { folder, host, vmId } = await labWithVm({ state: "Off" });
        const one = await host.takeCheckpoint({ id: vmId }, { name: "one" });
        await host.takeCheckpoint({ id: vmId }, { name: "two" });
        await writeToVm(folder, { id: vmId }, GiB);
        await setVolume(folder, "C:", 10 * GiB, 512 * MiB);
        // Removing "two" merges the current disk (1 GiB written) into two's disk.
        const { checkpoints } = await host.getVmWithCheckpoints({ id: vmId });
        const two = checkpoints.find((c) => c.name === "two")!;
        const error = await rejectsWith(() => host.removeCheckpoint(vmId, two.id), "InsufficientSpace");
        assert.match(error.message, /merge .* not enough space on volume C:\\/);
        assert.equal((await host.getVmWithCheckpoints({ id: vmId })).checkpoints.length, 2);
        await setVolume(folder, "C:", 10 * GiB, 2 * GiB);
        await host.removeCheckpoint(vmId, one.checkpoint.id);
        await host.removeCheckpoint(vmId, two.id);
        assert.equal((await host.getVmWithCheckpoints({ id: vmId })).checkpoints.length, 0);
    });
});
