import * as assert from "node:assert/strict";
import { readHostSettings } from "../../provider/config";
import { openAdapter } from "../../provider/connect";
import { HostError, type HyperVHost } from "../../provider/host";
import { ClusterHost } from "../../provider/cluster/cluster-host";
import { probingDirectory, type NodeLocator } from "../../provider/cluster/directory";
import {
    addVm,
    beginLabMigration,
    completeLabMigration,
    inspectLab,
    migrateLabVm,
    openLabNode,
    setHostSettings,
    startLabNode,
    stopLabNode,
} from "../../provider/lab";
import { freshLab, rejectsWith, removeLabs } from "../lab/helpers";

/*
 * The cluster host on a three-node cluster lab, through the port the resources use: one story,
 * step by step, so the lab is made once.
 */

const settings = (migrationWaitSeconds: number) =>
    readHostSettings({ get: (k) => ({ "hyperv:maxSessions": "2", "hyperv:migrationWaitSeconds": String(migrationWaitSeconds) })[k] });

function ownerOf(folder: string, vmId: string): string | undefined {
    return inspectLab(folder).vms.find((e) => e.vm.id === vmId)?.placement?.ownerNode;
}

function checkpointNames(folder: string, vmId: string): string[] {
    return (
        inspectLab(folder)
            .vms.find((e) => e.vm.id === vmId)
            ?.checkpoints.map((c) => c.name) ?? []
    );
}

describe("a cluster host on a three-node cluster lab", () => {
    let folder: string;
    let cluster: HyperVHost;
    const ids: Record<string, string> = {};

    before(async () => {
        ({ folder } = await freshLab({ clusterNodes: 3 }));
        for (const [name, node, clustered] of [
            ["web", "node1", true],
            ["sql", "node2", true],
            ["app", "node3", true],
            ["build", "node2", false],
        ] as const) {
            ids[name] = (await addVm(folder, { name, state: "Running", node, clustered })).id;
        }
        cluster = openAdapter({ kind: "lab", folder }, settings(1));
    });
    after(async () => {
        await cluster.dispose();
        removeLabs();
    });

    it("finds each VM on the node that owns it, by name or id, and acts there", async () => {
        assert.equal((await cluster.getVm({ name: "sql" })).id, ids.sql);
        const taken = await cluster.takeCheckpoint({ name: "app" }, { name: "before patch" });
        assert.equal(taken.vm.id, ids.app);
        assert.deepEqual(checkpointNames(folder, ids.app!), ["before patch"]);
        assert.equal(ownerOf(folder, ids.app!), "node3");
    });

    it("follows a VM that migrated since it was last seen: reads and mutations land on the new owner", async () => {
        await cluster.takeCheckpoint({ id: ids.web! }, { name: "one" });
        await migrateLabVm(folder, { name: "web" }, "node2");
        const seen = await cluster.getVmWithCheckpoints({ id: ids.web! });
        assert.deepEqual(
            seen.checkpoints.map((c) => c.name),
            ["one"],
        );
        await cluster.removeCheckpoint(ids.web!, seen.checkpoints[0]!.id);
        assert.deepEqual(checkpointNames(folder, ids.web!), []);
        assert.equal(ownerOf(folder, ids.web!), "node2");
    });

    it("waits for a VM mid-migration, then runs the operation once on the new owner", async () => {
        await beginLabMigration(folder, { name: "sql" }, "node1");
        const take = cluster.takeCheckpoint({ id: ids.sql! }, { name: "during move" });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await completeLabMigration(folder, { name: "sql" });
        await take;
        assert.deepEqual(checkpointNames(folder, ids.sql!), ["during move"]);
        assert.equal(ownerOf(folder, ids.sql!), "node1");
    });

    it("refuses, naming the VM and both nodes, a migration that does not land in time", async () => {
        await beginLabMigration(folder, { name: "app" }, "node1");
        const e = await rejectsWith(() => cluster.takeCheckpoint({ id: ids.app! }, { name: "stuck" }), "InvalidVmState");
        assert.match(e.message, /migrated from node3 to node1 and did not finish within 1 s/);
        assert.match(e.message, new RegExp(ids.app!));
        await completeLabMigration(folder, { name: "app" });
        assert.deepEqual(checkpointNames(folder, ids.app!), ["before patch"]);
    });

    it("never runs a started operation twice: a migration waits for it, and the take lands once where it began", async () => {
        await setHostSettings(folder, { latency: { profile: "realistic", timeScale: 0.05 }, behaviour: { concurrentVmMutations: "serialize" } });
        try {
            const take = cluster.takeCheckpoint({ id: ids.web! }, { name: "racing" });
            await new Promise((resolve) => setTimeout(resolve, 30));
            const move = migrateLabVm(folder, { id: ids.web! }, "node3");
            await Promise.all([take, move]);
        } finally {
            await setHostSettings(folder, { latency: { profile: "none" }, behaviour: { concurrentVmMutations: "refuse" } });
        }
        assert.deepEqual(checkpointNames(folder, ids.web!), ["racing"]);
        assert.equal(ownerOf(folder, ids.web!), "node3");
    });

    it("after a node stops, its clustered VMs are served by the node they failed over to; its local VMs are refused naming the node", async () => {
        const failover = await stopLabNode(folder, "node2");
        assert.deepEqual(
            failover.moved.map((m) => m.vm),
            [],
            "sql and web moved away from node2 before; only the local build VM was there",
        );
        assert.deepEqual(
            failover.stranded.map((s) => s.vm),
            ["build"],
        );
        const e = await rejectsWith(() => cluster.takeCheckpoint({ id: ids.build! }, { name: "x" }), "HostUnreachable");
        assert.match(e.message, /node2/);
        await startLabNode(folder, "node2");
        await migrateLabVm(folder, { name: "sql" }, "node2");
        await stopLabNode(folder, "node2");
        await cluster.takeCheckpoint({ id: ids.sql! }, { name: "after failover" });
        assert.notEqual(ownerOf(folder, ids.sql!), "node2");
        assert.deepEqual(checkpointNames(folder, ids.sql!), ["during move", "after failover"], "checkpoints on the shared volume survive failover");
    });
});

describe("a cluster host over nodes asked side by side (hyperv:nodes)", () => {
    after(removeLabs);

    it("finds the owner by asking every node, follows a migration, and names a node that does not answer", async () => {
        const { folder } = await freshLab({ clusterNodes: 2 });
        const web = await addVm(folder, { name: "web", state: "Running", node: "node1", clustered: true });
        const pinned = await addVm(folder, { name: "pinned", state: "Running", node: "node2" });
        const nodes = new Map<string, HyperVHost>([
            ["node1", openLabNode(folder, "node1")],
            ["node2", openLabNode(folder, "node2")],
        ]);
        const cluster = new ClusterHost({ name: "hv", nodes, directory: probingDirectory(nodes), migrationWaitSeconds: 1 });
        await cluster.takeCheckpoint({ name: "web" }, { name: "a" });
        await migrateLabVm(folder, { id: web.id }, "node2");
        await cluster.takeCheckpoint({ id: web.id }, { name: "b" });
        assert.deepEqual(checkpointNames(folder, web.id), ["a", "b"]);
        assert.equal(ownerOf(folder, web.id), "node2");
        await stopLabNode(folder, "node2");
        const e = await rejectsWith(() => cluster.takeCheckpoint({ id: pinned.id }, { name: "x" }), "HostUnreachable");
        assert.match(e.message, /cluster node node2, which does not answer, and the cluster has not failed it over/);
        assert.deepEqual(checkpointNames(folder, web.id), ["a", "b"], "web failed over to node1 with its checkpoints");
        await cluster.takeCheckpoint({ id: web.id }, { name: "c" });
        assert.equal(ownerOf(folder, web.id), "node1");
    });

    it("waits for a migration the VM's node reports (PowerShell's locate VM), then runs the operation once on the new owner", async () => {
        const { folder } = await freshLab({ clusterNodes: 2 });
        const web = await addVm(folder, { name: "web", state: "Running", node: "node1", clustered: true });
        const nodes = new Map<string, HyperVHost>([
            ["node1", openLabNode(folder, "node1")],
            ["node2", openLabNode(folder, "node2")],
        ]);
        // What a node's locate VM answers: it holds the VM (VmNotFound when not), and the cluster's migration of it.
        const locator = (node: string): NodeLocator => ({
            async locateVm(vmId) {
                await nodes.get(node)?.getVm({ id: vmId });
                const migration = inspectLab(folder).vms.find((e) => e.vm.id === vmId)?.placement?.migration;
                return { migration: migration ? { to: migration.to } : null };
            },
        });
        const locators = new Map([...nodes.keys()].map((n) => [n, locator(n)]));
        const cluster = new ClusterHost({ name: "hv", nodes, directory: probingDirectory(nodes, locators), migrationWaitSeconds: 5, pollMs: 50 });
        await beginLabMigration(folder, { id: web.id }, "node2");
        await Promise.all([
            cluster.takeCheckpoint({ id: web.id }, { name: "during move" }),
            new Promise((resolve) => setTimeout(resolve, 300)).then(() => completeLabMigration(folder, { id: web.id })),
        ]);
        assert.deepEqual(checkpointNames(folder, web.id), ["during move"]);
        assert.equal(ownerOf(folder, web.id), "node2");
    });

    it("looks again for a VM that no node held at the instant each was asked (a migration's switch-over between their answers), and still refuses one that is gone", async () => {
        const { folder } = await freshLab({ clusterNodes: 2 });
        const web = await addVm(folder, { name: "web", state: "Running", node: "node1", clustered: true });
        const nodes = new Map<string, HyperVHost>([
            ["node1", openLabNode(folder, "node1")],
            ["node2", openLabNode(folder, "node2")],
        ]);
        const probing = probingDirectory(nodes);
        // The first answer straddles a switch-over: node2 answered before the VM arrived, node1 after it left.
        let straddled = 0;
        const directory = { locate: async (vmId: string) => (straddled++ === 0 ? undefined : probing.locate(vmId)) };
        const cluster = new ClusterHost({ name: "hv", nodes, directory, migrationWaitSeconds: 5, pollMs: 20 });
        await cluster.takeCheckpoint({ id: web.id }, { name: "after the straddle" });
        assert.deepEqual(checkpointNames(folder, web.id), ["after the straddle"]);
        const e = await rejectsWith(() => cluster.takeCheckpoint({ id: "00000000-0000-4000-8000-000000000001" }, { name: "x" }), "VmNotFound");
        assert.match(e.message, /no node of the cluster has a VM with id "00000000-0000-4000-8000-000000000001"/);
    });

    it("asks a VM that has just landed again when its new node refuses for an instant (the move's last step still holds it), and takes once", async () => {
        const { folder } = await freshLab({ clusterNodes: 2 });
        const web = await addVm(folder, { name: "web", state: "Running", node: "node2", clustered: true });
        const node2 = openLabNode(folder, "node2");
        let refused = 0;
        const landing = new Proxy(node2, {
            get(target, key, receiver) {
                if (key === "takeCheckpoint" && refused === 0) {
                    return async () => {
                        refused++;
                        throw new HostError("InvalidVmState", "another operation is in progress", { host: "node2", operation: "take checkpoint" });
                    };
                }
                const value = Reflect.get(target, key, receiver);
                return typeof value === "function" ? value.bind(target) : value;
            },
        });
        const nodes = new Map<string, HyperVHost>([
            ["node1", openLabNode(folder, "node1")],
            ["node2", landing],
        ]);
        let asked = 0;
        const directory = {
            locate: async () => ({ owner: asked++ === 0 ? "node1" : "node2", ownerUp: true, migration: asked === 1 ? { from: "node1", to: "node2" } : null }),
        };
        const cluster = new ClusterHost({ name: "hv", nodes, directory, migrationWaitSeconds: 5, pollMs: 20 });
        await cluster.takeCheckpoint({ id: web.id }, { name: "after landing" });
        assert.equal(refused, 1);
        assert.deepEqual(checkpointNames(folder, web.id), ["after landing"]);
    });
});
