import * as assert from "node:assert/strict";
import { maxChainDepth, maxCheckpointSpace } from "../../sdk/governance";
import { checkpoint, group, policy, validateStack } from "./helpers";

const GiB = 1024 ** 3;

describe("governance: chains deeper than N", () => {
    const rule = maxChainDepth({ config: { maxChainDepth: 3 } });

    it("flags a checkpoint deeper than allowed and a policy whose VM's deepest chain is, and skips what is not created yet", async () => {
        const found = await validateStack(rule, [
            checkpoint("shallow", { vmName: "web01", name: "shallow", chainDepth: 3 }),
            checkpoint("deep", { vmName: "web01", name: "deep", chainDepth: 4 }),
            checkpoint("planned", { vmName: "web01", name: "planned" }),
            policy("web", { vmName: "web01", deepestChain: 4 }),
            policy("app", { vmName: "app01", deepestChain: 2 }),
        ]);
        assert.deepEqual(
            found.map((f) => f.resource),
            ["deep", "web"],
        );
        assert.match(found[0]!.message, /Checkpoint "deep" sits at depth 4 of VM "web01"'s chain of differencing disks \(the limit is 3\)/);
        assert.match(found[1]!.message, /VM "web01" \(policy "web"\) has a chain of 4 differencing disks \(the limit is 3\)/);
    });

    it("judges each VM of a group by the depth of the group's checkpoint on it", async () => {
        const found = await validateStack(rule, [
            group("g", {
                name: "g",
                vms: [{ vmName: "a" }, { vmName: "b" }],
                members: [
                    { vmId: "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11", vmName: "a", creationTime: "2026-12-01T00:00:00Z", chainDepth: 2 },
                    { vmId: "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a12", vmName: "b", creationTime: "2026-12-01T00:00:00Z", chainDepth: 5 },
                ],
            }),
        ]);
        assert.equal(found.length, 1);
        assert.match(found[0]!.message, /depth 5 of VM "b"/);
    });
});

describe("governance: checkpoint bytes above N% of a volume", () => {
    const rule = maxCheckpointSpace({ config: { maxPercentOfVolume: 10 } });

    it("flags a VM whose checkpoints hold more than the share of its smallest volume, naming it and its free space", async () => {
        const volumes = [
            { name: "C:\\", capacity: 1000 * GiB, freeSpace: 500 * GiB },
            { name: "D:\\", capacity: 100 * GiB, freeSpace: 5 * GiB },
        ];
        const found = await validateStack(rule, [
            policy("web", { vmName: "web01", checkpointBytes: 11 * GiB, volumes }),
            policy("app", { vmName: "app01", checkpointBytes: 9 * GiB, volumes }),
            policy("new", { vmName: "new01" }),
        ]);
        assert.equal(found.length, 1);
        assert.equal(found[0]!.resource, "web");
        assert.match(
            found[0]!.message,
            /VM "web01"'s checkpoints hold 11811160064 bytes, 11\.0% of volume D:\\ \(5368709120 of 107374182400 bytes free; the limit is 10%\)/,
        );
    });
});
