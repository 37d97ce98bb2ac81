import * as assert from "node:assert/strict";
import { isHostError } from "../../provider/host/errors";
import { policyProvider } from "../../provider/root";
import { checked, labVm, labWith, removeLabs } from "./helpers";

/*
 * The shared-storage rule at `up`: preview's refusal (test/e2e/cluster.test.ts) is also what
 * create and update do, before the host changes anything.
 */
describe("VmCheckpointPolicy on a cluster: a clustered VM's checkpoints stay on shared storage", () => {
    afterEach(removeLabs);

    it("refuses a local fileLocation for a clustered VM at create, changing nothing, and accepts it knowingly", async () => {
        const lab = await labWith(
            [
                { name: "sql", node: "node1", clustered: true },
                { name: "build", node: "node2" },
            ],
            { clusterNodes: 2 },
        );
        const before = labVm(lab, "sql").checkpointFileLocation;
        const local = await checked(policyProvider, { vmName: "sql", fileLocation: "D:\\Checkpoints\\sql" });
        await assert.rejects(policyProvider.create(local), (e: unknown) => {
            assert.ok(isHostError(e, "LocalStorageOnCluster"), String(e));
            assert.match(e.message, /fileLocation D:\\Checkpoints\\sql is on one node's own disks, but VM "sql" is clustered/);
            assert.match(e.message, /allowLocalFileLocation: true/);
            return true;
        });
        assert.equal(labVm(lab, "sql").checkpointFileLocation, before);

        await policyProvider.create(await checked(policyProvider, { vmName: "sql", fileLocation: "D:\\Checkpoints\\sql", allowLocalFileLocation: true }));
        assert.equal(labVm(lab, "sql").checkpointFileLocation, "D:\\Checkpoints\\sql");
        await policyProvider.create(await checked(policyProvider, { vmName: "build", fileLocation: "D:\\Checkpoints\\build" }));
        assert.equal(labVm(lab, "build").checkpointFileLocation, "D:\\Checkpoints\\build", "a VM local to its node may keep local files");
    });
});
