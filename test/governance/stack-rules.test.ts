import * as assert from "node:assert/strict";
import { maxCheckpointAge, maxCheckpointsPerVm, noCheckpointsOnDisabledVms } from "../../sdk/governance";
import { checkpoint, group, policy, UNKNOWN_STRING, validateStack } from "./helpers";

const ID = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";

describe("governance: at most N checkpoints per VM in a stack", () => {
    const rule = maxCheckpointsPerVm({ config: { maxPerVm: 2 } });

    it("flags a VM with more Checkpoint resources than allowed, once, on the first one over", async () => {
        const found = await validateStack(rule, [
            checkpoint("c", { vmName: "dev01", name: "c" }),
            checkpoint("a", { vmName: "dev01", name: "a" }),
            checkpoint("b", { vmName: "DEV01", name: "b" }),
            checkpoint("w", { vmName: "web01", name: "w" }),
        ]);
        assert.deepEqual(found, [
            {
                resource: "c",
                message:
                    'VM "dev01" has 3 checkpoints declared in this stack (a, b, c), more than the 2 allowed: every checkpoint adds a differencing disk (.avhdx) ' +
                    "to the VM's chain (Hyper-V stops at 50). Remove the ones no longer needed, or raise maxPerVm.",
            },
        ]);
    });

    it("counts a VM named by id and by name as one, once a resource has resolved the name", async () => {
        const resources = [
            policy("p", { vmName: "dev01", vmId: ID }),
            checkpoint("a", { vmId: ID.toUpperCase(), name: "a" }),
            checkpoint("b", { vmName: "dev01", name: "b" }),
        ];
        assert.deepEqual(await validateStack(rule, resources), []);
        assert.equal((await validateStack(rule, [...resources, checkpoint("c", { vmName: "dev01", name: "c" })])).length, 1);
    });

    it("counts VMs on different hosts apart, and skips VMs not known yet", async () => {
        const found = await validateStack(rule, [
            checkpoint("a", { vmName: "dev01", name: "a" }),
            checkpoint("b", { vmName: "dev01", name: "b" }),
            checkpoint("c", { vmName: "dev01", host: "ssh://admin@hv2", name: "c" }),
            checkpoint("d", { vmName: UNKNOWN_STRING, name: "d" }),
        ]);
        assert.deepEqual(found, []);
    });

    it("allows at most 49 (Hyper-V's limit is 50) and defaults to 10", async () => {
        assert.throws(() => maxCheckpointsPerVm({ config: { maxPerVm: 50 } }), /maxPerVm/);
        assert.equal(
            maxCheckpointsPerVm().configSchema?.properties.maxPerVm && (maxCheckpointsPerVm().configSchema!.properties.maxPerVm as { default: number }).default,
            10,
        );
        const eleven = Array.from({ length: 11 }, (_, i) => checkpoint(`c${String(i).padStart(2, "0")}`, { vmName: "dev01", name: `${i}` }));
        assert.equal((await validateStack(maxCheckpointsPerVm(), eleven)).length, 1);
        assert.equal((await validateStack(maxCheckpointsPerVm(), eleven.slice(1))).length, 0);
    });
});

describe("governance: no checkpoints on VMs whose policy disables them", () => {
    const rule = noCheckpointsOnDisabledVms();

    it("flags a Checkpoint of a VM whose declared policy is disabled", async () => {
        const found = await validateStack(rule, [
            policy("lock", { vmName: "reports", disabled: true }),
            checkpoint("before", { vmName: "Reports", name: "before" }),
        ]);
        assert.deepEqual(found, [
            {
                resource: "before",
                message:
                    'Checkpoint "before" is declared for VM "Reports", whose VmCheckpointPolicy "lock" disables checkpoints (disabled: true): ' +
                    'Hyper-V refuses to take or apply it ("Checkpoints have been disabled"). Remove the Checkpoint, or set disabled: false on "lock".',
            },
        ]);
    });

    it("accepts checkpoints of VMs whose policy allows them", async () => {
        assert.deepEqual(
            await validateStack(rule, [
                policy("lock", { vmName: "reports", disabled: false, type: "production" }),
                checkpoint("before", { vmName: "reports", name: "before" }),
                checkpoint("other", { vmName: "web01", name: "other" }),
            ]),
            [],
        );
    });

    it("lets adopted checkpoints through when allowAdopted is on", async () => {
        const resources = [policy("lock", { vmName: "reports", disabled: true }), checkpoint("kept", { vmName: "reports", adoptId: ID })];
        assert.equal((await validateStack(rule, resources)).length, 1);
        assert.deepEqual(await validateStack(rule, resources, { config: { allowAdopted: true } }), []);
    });
});

describe("governance: checkpoints older than the maximum age", () => {
    const now = () => new Date("2025-03-01T00:00:00Z");
    const rule = maxCheckpointAge({ now });

    it("flags a checkpoint taken before the limit, with its age", async () => {
        const found = await validateStack(rule, [checkpoint("old", { vmName: "web01", vmId: ID, name: "old", creationTime: "2025-01-01T00:00:00Z" })]);
        assert.deepEqual(found, [
            {
                resource: "old",
                message:
                    'Checkpoint "old" of VM "web01" was taken 2025-01-01T00:00:00.000Z, 59 days ago (the limit is 14 days): every write since then goes to its ' +
                    "differencing disk (.avhdx), which grows and slows the VM. Delete it (remove the resource: Hyper-V merges its disk into the parent), or raise maxAgeDays.",
            },
        ]);
    });

    it("accepts recent checkpoints and skips ones not taken yet", async () => {
        assert.deepEqual(
            await validateStack(rule, [
                checkpoint("new", { vmName: "web01", name: "new", creationTime: "2025-02-20T00:00:00Z" }),
                checkpoint("planned", { vmName: "web01", name: "planned" }),
                checkpoint("previewed", { vmName: "web01", name: "previewed", creationTime: UNKNOWN_STRING }),
            ]),
            [],
        );
    });

    it("reads maxAgeDays from the pack config, fractions included", async () => {
        const [hours] = await validateStack(rule, [checkpoint("c", { vmName: "web01", name: "c", creationTime: "2025-02-28T12:00:00Z" })], {
            config: { maxAgeDays: 0.25 },
        });
        assert.match(hours!.message, /, 12 hours ago \(the limit is 0.25 days\)/);
    });

    it("is advisory by default", () => {
        assert.equal(rule.enforcementLevel, "advisory");
    });
});

describe("governance: a CheckpointGroup counts as one checkpoint of each of its VMs", () => {
    const release = (vms: Record<string, unknown>[]) => group("release", { name: "before release", vms });

    it("counts a group's checkpoint with the VM's other checkpoints", async () => {
        const found = await validateStack(maxCheckpointsPerVm({ config: { maxPerVm: 2 } }), [
            checkpoint("a", { vmName: "db01", name: "a" }),
            checkpoint("b", { vmName: "db01", name: "b" }),
            release([{ vmName: "web01" }, { vmName: "DB01" }]),
        ]);
        assert.deepEqual(
            found.map((f) => f.message.split(":")[0]),
            ['VM "db01" has 3 checkpoints declared in this stack (a, b, release), more than the 2 allowed'],
        );
    });

    it("refuses a group including a VM whose declared policy is disabled, naming the VM", async () => {
        const found = await validateStack(noCheckpointsOnDisabledVms(), [
            policy("lock", { vmName: "db01", disabled: true }),
            release([{ vmName: "web01" }, { vmName: "db01" }]),
        ]);
        assert.deepEqual(found, [
            {
                resource: "release",
                message:
                    'CheckpointGroup "release"\'s checkpoint is declared for VM "db01", whose VmCheckpointPolicy "lock" disables checkpoints (disabled: true): ' +
                    'Hyper-V refuses to take or apply it ("Checkpoints have been disabled"). Take the VM out of the group\'s vms, or set disabled: false on "lock".',
            },
        ]);
    });

    it("knows a group's VM declared by name by the id the group recorded", async () => {
        const ID2 = "7d2d6b9f-1e9f-4f9f-8b62-2c2e4d1d3b22";
        const found = await validateStack(noCheckpointsOnDisabledVms(), [
            policy("lock", { vmId: ID2, disabled: true }),
            group("release", { name: "r", vms: [{ vmName: "db01" }], members: [{ vmId: ID2, vmName: "db01", creationTime: "2026-01-01T00:00:00Z" }] }),
        ]);
        assert.equal(found.length, 1);
    });
});
