import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { journalPath } from "../../provider/lab";
import { failureOf, opsByName, step } from "./harness";
import { labCli } from "./lab-cli";
import { readLab, useDeclaredStack } from "./lab-fixture";
import { mergeStatusLines, whenMerging } from "./merge-progress";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

interface DiskOutputs {
    policies: Record<string, { checkpointBytes: number; deepestChain: number; volumes: { name: string; capacity: number; freeSpace: number }[] }>;
    checkpoints: Record<string, { diskFiles: { path: string; fileSize: number }[]; chainDepth: number; ageSeconds: number }>;
}

describe("checkpoints that know their disks, through the Pulumi engine", function () {
    this.timeout(900_000);
    const env = useDeclaredStack([
        { name: "web01", state: "Off" },
        { name: "app01", state: "Running", checkpointType: "Standard", memoryMB: 4096, checkpointFileLocation: "D:\\Checkpoints\\app01" },
    ]);
    const declare = async (policies: unknown, checkpoints: unknown) => {
        await env.stack.stack.setConfig("e2e:policies", { value: JSON.stringify(policies) });
        await env.stack.stack.setConfig("e2e:checkpoints", { value: JSON.stringify(checkpoints) });
    };
    const journal = () => fs.readFileSync(journalPath(env.lab), "utf8");
    const policy = { web: { vmName: "web01", maxChainDepth: 2 } };
    const chain = { one: { vmName: "web01", name: "one" }, two: { vmName: "web01", name: "two", dependsOnCheckpoint: "one" } };

    // One stack through its steps: sizes after writes, then the limits refusing in preview against what up left.
    it("reports sizes and depth that match the lab, refuses the takes past a full volume, minFreeSpace or maxChainDepth, a merge without room, merging disabled and a merge that fails midway", async () => {
        await step("reports each checkpoint's files, sizes and depth, and the VM's bytes and volumes", async () => {
            await declare(policy, { one: chain.one });
            await env.stack.up();
            labCli(env.lab, "vm", "write", "web01", "3GB");
            await declare(policy, chain);
            await env.stack.up();
            // The policy was applied before its checkpoints: a refresh reads what they hold now, and an up reports it.
            await env.stack.refresh();
            const outputs = (await env.stack.up()).outputs.diskOutputs as DiskOutputs;
            const vm = readLab(env.lab).vms.find((v) => v.name === "web01")!;
            const one = outputs.checkpoints.one!;
            const two = outputs.checkpoints.two!;
            assert.equal(one.chainDepth, 1);
            assert.equal(two.chainDepth, 2);
            const written = vm.diskFiles.find((d) => d.bytes === 3 * GiB)!;
            assert.deepEqual(two.diskFiles, [{ path: written.path, fileSize: 3 * GiB + 4 * MiB }], "two froze the disk the guest wrote 3 GiB into");
            assert.ok(one.ageSeconds >= two.ageSeconds);
            const web = outputs.policies.web!;
            assert.equal(web.checkpointBytes, 3 * GiB + 8 * MiB);
            assert.equal(web.deepestChain, 2);
            assert.equal(web.volumes[0]?.name, "C:\\");
        });

        const three = { vmName: "web01", name: "three", dependsOnCheckpoint: "two", limitsOf: "web" };
        await step("refuses in preview a take past its policy's maxChainDepth, changing nothing", async () => {
            await declare(policy, { ...chain, three });
            const before = journal();
            const failure = await failureOf(() => env.stack.preview());
            assert.match(failure, /chain of 3 differencing disks, and maxChainDepth is 2/);
            assert.equal(journal(), before);
        });

        await step("refuses it in `up --target` of the checkpoint alone, where the policy is not updated", async () => {
            // The policy's limits used to reach a take through the provider process's memory, filled by
            // the policy's own check: a targeted `up` of the checkpoint alone took past them.
            const state = JSON.parse(await env.stack.exportState()) as { deployment: { resources: { urn: string }[] } };
            const twoUrn = state.deployment.resources.find((r) => r.urn.endsWith("::two"))!.urn;
            const before = journal();
            const failure = await failureOf(() => env.stack.up({ target: [twoUrn.replace(/::two$/, "::three")] }));
            assert.match(failure, /chain of 3 differencing disks, and maxChainDepth is 2/);
            assert.equal(journal(), before);
        });

        await step("refuses in preview a standard checkpoint whose memory does not fit, naming the volume and sizes", async () => {
            labCli(env.lab, "host", "volume", "D:", "--size", "100GB", "--free", "2GB");
            await declare(policy, { ...chain, big: { vmName: "app01", name: "big" } });
            const before = journal();
            const failure = await failureOf(() => env.stack.preview());
            assert.match(failure, /volume D:\\\\? has 2147483648 bytes free; the checkpoint needs 4294967296, so 4294967296 are needed/);
            assert.equal(journal(), before);
        });

        await step("refuses what would leave less than minFreeSpace, and takes it once the threshold is lowered", async () => {
            labCli(env.lab, "host", "volume", "D:", "--size", "100GB", "--free", "12GB");
            await declare(policy, { ...chain, big: { vmName: "app01", name: "big", minFreeSpace: "10%" } });
            const failure = await failureOf(() => env.stack.up());
            assert.match(failure, /minFreeSpace \(10%\) keeps 10737418240 of its 107374182400 bytes free/);
            await declare(policy, { ...chain, big: { vmName: "app01", name: "big", minFreeSpace: "5%" } });
            const res = await env.stack.up();
            assert.deepEqual(opsByName(res).big, ["create"]);
        });

        await step("fails a delete whose merge runs out of space, with the reason, and keeps the checkpoint", async () => {
            labCli(env.lab, "vm", "write", "web01", "1GB");
            labCli(env.lab, "host", "volume", "C:", "--size", "100GB", "--free", "512MB");
            await declare(policy, { one: chain.one, big: { vmName: "app01", name: "big", minFreeSpace: "5%" } });
            const failure = await failureOf(() => env.stack.up());
            assert.match(
                failure,
                /remove checkpoint failed .*merge of the checkpoint's differencing disk failed: there is not enough space on volume C:\\\\? \(536870912 bytes free, the merge needs 1073741824\)/,
            );
            assert.match(failure, /Free space on the volume named/);
            const web = readLab(env.lab).vms.find((v) => v.name === "web01")!;
            assert.equal(readLab(env.lab).checkpoints.filter((c) => c.vmId === web.id).length, 2);
        });

        await step("refuses a delete on a VM whose disk merging is disabled, with the reason and the fix, removing nothing", async () => {
            labCli(env.lab, "host", "volume", "C:", "--size", "1000GB", "--free", "500GB");
            labCli(env.lab, "vm", "set", "web01", "--disk-merge", "off");
            const before = journal();
            const failure = await failureOf(() => env.stack.up());
            assert.match(
                failure,
                /remove checkpoint failed on host lab .*VM "web01".*: disk merging is disabled for this VM \(Msvm_DiskMergeSettingData EnabledState 0/,
            );
            assert.match(failure, /nothing was removed\. Enable disk merging for the VM again \(.*ModifyDiskMergeSettings/);
            assert.equal(journal(), before);
            labCli(env.lab, "vm", "set", "web01", "--disk-merge", "on");
        });

        await step(
            "fails a delete whose merge fails midway (its volume fills) at once, with Hyper-V's reason, the volume and what to do; with room again, waits for the rest, its progress reaching the engine's events",
            async () => {
                // 49 GiB to merge (the 1 GiB above and 48 more): 335 s at 150 MB/s, 33 s at this scale. The
                // merge restarts when the volume has room again, before the second up's engine starts (more
                // than 10 s on a loaded CI machine): what is left must outlast that and show two percentages.
                labCli(env.lab, "vm", "write", "web01", "48GB");
                labCli(env.lab, "host", "set", "--latency", "realistic", "--time-scale", "0.1");
                const mergeMs = ((49 * 1024) / 150) * 1000 * 0.1;
                const started = Date.now();
                const failed = failureOf(() => env.stack.up());
                await whenMerging(env.lab, "web01");
                labCli(env.lab, "host", "volume", "C:", "--size", "1000GB", "--free", "1GB");
                const failure = await failed;
                assert.match(
                    failure,
                    /remove checkpoint failed on host lab .*VM "web01".*checkpoint "two".*: the background merge of the VM's disks failed at \d+%: There is not enough space on the disk\. \(0x80070070\) on volume C:\\?; Hyper-V logs it as event 19100/,
                );
                assert.match(failure, /Free space on volume C:\\? .*Resume-VM web01/);
                assert.ok(
                    readLab(env.lab).host.events.some((e) => e.operation === "mergeFailed" && e.vmName === "web01"),
                    "the lab logged the failed merge (Hyper-V: event 19100)",
                );

                labCli(env.lab, "host", "volume", "C:", "--size", "1000GB", "--free", "500GB");
                const res = await env.stack.up();
                labCli(env.lab, "host", "set", "--latency", "none");
                assert.deepEqual(opsByName(res).two, ["delete"]);
                assert.ok(Date.now() - started >= mergeMs, "the merge took its time, in two parts");
                assert.match(mergeStatusLines(res, "two")[0]!, /^merging: \d+% done, \d+\.\d GiB left \(web01\)$/);
                const web = readLab(env.lab).vms.find((v) => v.name === "web01")!;
                assert.equal(web.merge === null || Date.parse(web.merge.startedAt) + web.merge.durationMs <= Date.now(), true, "the disks are whole");
            },
        );
    });
});
