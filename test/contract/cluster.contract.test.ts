import assert from "node:assert/strict";
import { delimiter } from "node:path";
import { createPowerShellHost } from "../../provider/powershell";
import { standInClusterModulePath } from "../powershell/stand-in/modules";
import { openAdapter } from "../../provider/connect";
import { readHostSettings } from "../../provider/config";
import { addVm, beginLabMigration, completeLabMigration, inspectLab, startLabNode, stopLabNode, type InitLabOptions } from "../../provider/lab";
import { step } from "../e2e/harness";
import { freshLab, rejectsWith, removeLabs } from "../lab/helpers";
import { RealShells } from "../powershell/support/real-shells";
import { describePortContract } from "./port-contract";

/*
 * A failover cluster on real shells: a cluster lab of three nodes, each node a loopback sshd whose
 * PowerShell is that node (the Hyper-V stand-in answers with its VMs only, the FailoverClusters
 * stand-in with the cluster), composed as hyperv:nodes composes them. The port contract holds on it
 * as on one host; then one node's sshd stops in the middle of a run.
 */

const shells = new RealShells();

/** Where the contract's VMs go, in turn: the first on node2 (not the node that answers capabilities). */
const PLACEMENT = ["node2", "node3", "node1"];

function ownerOf(folder: string, vmId: string): string | undefined {
    return inspectLab(folder).vms.find((e) => e.vm.id === vmId)?.placement?.ownerNode;
}

describe("a failover cluster of three SSH nodes", function () {
    this.timeout(120_000);
    shells.clusterHooks(removeLabs);

    describe("the HyperVHost port contract", () => {
        describePortContract({
            async setup(options: InitLabOptions = {}) {
                const { folder } = await freshLab({ ...options, clusterNodes: 3 });
                // Another release is another machine: each node its own session, which probes the release.
                const host = shells.clusterHost(folder, { fresh: options.os !== undefined });
                let added = 0;
                return {
                    folder,
                    host,
                    // Every other VM is local to its node (no cluster role): the read says which are clustered.
                    vm: async (spec = {}) => {
                        const turn = added++;
                        return (await addVm(folder, { name: "web01", state: "Running", node: PLACEMENT[turn % 3], clustered: turn % 2 === 0, ...spec })).id;
                    },
                    computerName: "node1",
                };
            },
            unsupportedOnOldHost: "UnsupportedShell",
            // A cluster's nodes run one release, and each node's refusal of an older one is the
            // single-host SSH run's (port.contract.test.ts): three more sessions per release buy nothing.
            olderReleases: false,
        });
    });

    it("one node's sshd stops mid-run: the other nodes' VMs go on, its VMs are refused naming it until the cluster fails them over", async () => {
        const { folder } = await freshLab({ clusterNodes: 3 });
        const add = async (name: string, node: string, clustered: boolean) => (await addVm(folder, { name, state: "Running", node, clustered })).id;
        const web = await add("web", "node1", true);
        const sql = await add("sql", "node2", true);
        const build = await add("build", "node2", false);
        const app = await add("app", "node3", true);
        const host = shells.clusterHost(folder);
        for (const id of [web, sql, build, app]) await host.takeCheckpoint({ id }, { name: "before" });
        const node2 = shells.cluster.node("node2");
        await node2.stop();
        try {
            await step("the VMs of node1 and node3 go on", async () => {
                await host.takeCheckpoint({ id: web }, { name: "during" });
                await host.takeCheckpoint({ name: "app" }, { name: "during" });
                assert.deepEqual(
                    (await host.getVmWithCheckpoints({ id: app })).checkpoints.map((c) => c.name),
                    ["before", "during"],
                );
            });
            await step("node2's VMs, not failed over, are refused naming node2", async () => {
                for (const id of [sql, build]) {
                    const error = await rejectsWith(() => host.takeCheckpoint({ id }, { name: "refused" }), "HostUnreachable");
                    assert.match(error.message, /node2/);
                }
            });
            await step("node2 stops (failover): sql is found on its new owner with its checkpoint, build stays refused", async () => {
                const failover = await stopLabNode(folder, "node2");
                const to = failover.moved.find((m) => m.vmId === sql)?.to;
                assert.ok(to !== undefined && to !== "node2", JSON.stringify(failover));
                assert.deepEqual(
                    (await host.getVmWithCheckpoints({ id: sql })).checkpoints.map((c) => c.name),
                    ["before"],
                );
                await host.takeCheckpoint({ id: sql }, { name: "after failover" });
                assert.equal(ownerOf(folder, sql), to);
                assert.deepEqual(
                    inspectLab(folder)
                        .vms.find((e) => e.vm.id === sql)
                        ?.checkpoints.map((c) => c.name),
                    ["before", "after failover"],
                );
                const stranded = await rejectsWith(() => host.getVm({ id: build }), "HostUnreachable");
                assert.match(stranded.message, /node2/);
            });
        } finally {
            await node2.restart();
            await startLabNode(folder, "node2");
        }
    });

    it("a VM mid-migration is waited for and the take runs once on its new owner; one that does not land in time is refused naming both nodes", async () => {
        const { folder } = await freshLab({ clusterNodes: 3 });
        const sql = (await addVm(folder, { name: "sql", state: "Running", node: "node2", clustered: true })).id;
        const host = shells.clusterHost(folder, { migrationWaitSeconds: 2 });
        const names = () =>
            inspectLab(folder)
                .vms.find((e) => e.vm.id === sql)
                ?.checkpoints.map((c) => c.name);
        await host.getVm({ id: sql });
        await step("the migration lands while the take waits: one checkpoint, taken by node1", async () => {
            await beginLabMigration(folder, { id: sql }, "node1");
            shells.server.resetCalls();
            const [taken] = await Promise.all([
                host.takeCheckpoint({ id: sql }, { name: "during move" }),
                new Promise((resolve) => setTimeout(resolve, 800)).then(() => completeLabMigration(folder, { id: sql })),
            ]);
            assert.equal(taken.vm.id, sql);
            assert.deepEqual(names(), ["during move"]);
            assert.equal(ownerOf(folder, sql), "node1");
            assert.deepEqual(
                shells.server.calls.filter((c) => c.cmdlet === "Checkpoint-VM").map((c) => c.node),
                ["node1"],
            );
        });
        await step("a migration that does not land within hyperv:migrationWaitSeconds: refused naming the VM and both nodes, nothing taken", async () => {
            await beginLabMigration(folder, { id: sql }, "node3");
            try {
                const e = await rejectsWith(() => host.takeCheckpoint({ id: sql }, { name: "stuck" }), "InvalidVmState");
                assert.match(e.message, /being migrated from node1 to node3 and did not finish within 2 s/);
                assert.match(e.message, new RegExp(sql));
                assert.deepEqual(names(), ["during move"]);
            } finally {
                await completeLabMigration(folder, { id: sql });
            }
        });
    });

    it("a stand-alone host with the FailoverClusters module but in no cluster: reads answer, not saying clustered; there is no cluster to discover", async () => {
        const { folder } = await freshLab();
        const id = (await addVm(folder, { name: "web01", state: "Running" })).id;
        shells.useLab(folder);
        const env = { ...shells.env(), PSModulePath: [shells.modulePath, standInClusterModulePath()].join(delimiter) };
        const host = createPowerShellHost(shells.target("pwsh-local", { fresh: true }), { env });
        shells.server.resetCalls();
        try {
            const vm = await host.getVm({ id });
            assert.equal(vm.id, id);
            assert.equal("clustered" in vm, false);
            assert.equal((await host.capabilities()).failoverCluster, null);
            assert.ok(
                shells.server.calls.some((c) => c.cmdlet === "Get-ClusterGroup"),
                "the read asked the cluster, which did not answer",
            );
        } finally {
            await host.dispose();
        }
    });

    it("hyperv:discoverNodes: one node named, the others found with Get-ClusterNode and reached by their names", async () => {
        const { folder } = await freshLab({ clusterNodes: 3 });
        const app = (await addVm(folder, { name: "app", state: "Running", node: "node3", clustered: true })).id;
        const local = (await addVm(folder, { name: "build", state: "Running", node: "node2" })).id;
        shells.useLab(folder);
        const cluster = shells.cluster;
        const settings = readHostSettings({
            get: (k) =>
                ({
                    "hyperv:nodes": `ssh://${cluster.user}@node1`,
                    "hyperv:discoverNodes": "true",
                    "hyperv:keyFile": cluster.clientKey,
                    "hyperv:knownHostsFile": cluster.knownHosts,
                })[k],
        });
        // The nodes' names resolve through the cluster's ssh_config (binDir's ssh), and pwsh is found as on a user's PATH.
        const saved = { PATH: process.env.PATH, NODE_POWERSHELL: process.env.NODE_POWERSHELL };
        process.env.PATH = `${cluster.binDir}:${process.env.PATH ?? ""}`;
        process.env.NODE_POWERSHELL = shells.pwsh;
        const host = openAdapter({ kind: "nodes", nodes: settings.nodes ?? [] }, settings);
        try {
            const taken = await host.takeCheckpoint({ name: "app" }, { name: "found" });
            assert.equal(taken.vm.id, app);
            assert.equal(taken.vm.clustered, true);
            assert.equal((await host.getVm({ id: local })).clustered, false, "a VM with no cluster role is local to its node");
            assert.equal((await host.capabilities()).cluster, "HV-CLUSTER");
        } finally {
            await host.dispose();
            process.env.PATH = saved.PATH;
            if (saved.NODE_POWERSHELL === undefined) delete process.env.NODE_POWERSHELL;
            else process.env.NODE_POWERSHELL = saved.NODE_POWERSHELL;
        }
    });
});
