import * as assert from "node:assert/strict";
import {
    checkpointFileLocation,
    clusteredVmsOnSharedStorage,
    environmentCheckpointTypes,
    productionEnsuresBackupIntegration,
    serverRolesNoStandardCheckpoints,
} from "../../sdk/governance";
import { checkpoint, group, policy, UNKNOWN_STRING, validateResource } from "./helpers";

describe("governance: server roles never use standard checkpoints", () => {
    const rule = serverRolesNoStandardCheckpoints();

    it("flags a standard policy on a VM whose name says it is a server", async () => {
        const messages = await validateResource(rule, policy("sql", { vmName: "SQL01", type: "standard" }));
        assert.deepEqual(messages, [
            'VmCheckpointPolicy "sql" sets standard checkpoints on server VM "SQL01" (its name matches the server pattern /^(sql|dc|web|app|db|exch)/i): ' +
                "applying a standard checkpoint brings back the memory state, so the guest's clock jumps back, sessions and logins are lost and application data goes inconsistent. " +
                'Set type: "production" with fallbackToStandard: false, or disabled: true.',
        ]);
    });

    it("flags a Checkpoint asking for a standard checkpoint of a server", async () => {
        const [message] = await validateResource(rule, checkpoint("pre", { vmName: "dc01", name: "pre", type: "standard" }));
        assert.match(
            message!,
            /^Checkpoint "pre" asks for a standard checkpoint of server VM "dc01" .*Remove type \(the VM's policy decides\), or set type: "productionOnly"\.$/,
        );
    });

    it("accepts standard checkpoints on development VMs and production-only ones on servers", async () => {
        assert.deepEqual(await validateResource(rule, policy("dev", { vmName: "dev01", type: "standard" })), []);
        assert.deepEqual(await validateResource(rule, policy("sql", { vmName: "sql01", type: "production", fallbackToStandard: false })), []);
        assert.deepEqual(await validateResource(rule, policy("sql", { vmName: "sql01", disabled: true })), []);
    });

    it("lets production with fallback pass unless flagProductionWithFallback is on", async () => {
        const fallback = policy("dc", { vmName: "dc01", type: "production" });
        assert.deepEqual(await validateResource(rule, fallback), []);
        const [message] = await validateResource(rule, fallback, { config: { flagProductionWithFallback: true } });
        assert.match(message!, /^VmCheckpointPolicy "dc" lets server VM "dc01" .* fall back to a standard checkpoint .*Set fallbackToStandard: false\.$/);
        const [cp] = await validateResource(rule, checkpoint("c", { vmName: "dc01", name: "c", type: "production" }), {
            config: { flagProductionWithFallback: true },
        });
        assert.match(
            cp!,
            /^Checkpoint "c" asks for type "production" on server VM "dc01" .*, which falls back to a standard checkpoint .*Set type: "productionOnly"\.$/,
        );
    });

    it("knows servers from serverVms, by name or id, and from configured patterns", async () => {
        const id = "6c1c5a8e-0d8f-4f8e-9a51-1b1d3c0c2a11";
        const [byId] = await validateResource(rule, policy("erp", { vmId: id.toUpperCase(), type: "standard" }), { config: { serverVms: [id] } });
        assert.match(byId!, new RegExp(`server VM with id ${id} \\(listed in serverVms\\)`, "i"));
        const [byPattern] = await validateResource(rule, policy("erp", { vmName: "erp-prod", type: "standard" }), { config: { serverVmPatterns: ["^erp"] } });
        assert.match(byPattern!, /matches the server pattern \/\^erp\/i/);
    });

    it("never judges other dynamic resources, even with the same property names", async () => {
        const other = { type: "pulumi-nodejs:dynamic:Resource", name: "x", props: { vmName: "sql01", type: "standard" } };
        assert.deepEqual(await validateResource(rule, other), []);
        const sameTypeName = { type: "pulumi-nodejs:dynamic/other:VmCheckpointPolicy", name: "x", props: { vmName: "sql01", type: "standard" } };
        assert.deepEqual(await validateResource(rule, sameTypeName), []);
    });

    it("skips a VM whose name is not known during preview", async () => {
        assert.deepEqual(await validateResource(rule, policy("sql", { vmName: UNKNOWN_STRING, type: "standard" })), []);
    });

    it("refuses an invalid regular expression in its config, naming the rule", async () => {
        await assert.rejects(
            validateResource(rule, policy("sql", { vmName: "sql01" }), { config: { serverVmPatterns: ["("] } }),
            /hyperv-server-roles-no-standard-checkpoints: invalid settings in the policy pack config:[\s\S]*valid regular expression/,
        );
        assert.throws(() => serverRolesNoStandardCheckpoints({ config: { serverVmPatterns: ["["] } }), /invalid settings in the defaults given in code/);
    });
});

describe("governance: checkpoint types per environment", () => {
    const rule = environmentCheckpointTypes();

    it("requires ProductionOnly or Disabled on a stack whose name matches prod", async () => {
        const messages = await validateResource(rule, policy("web", { vmName: "web01", type: "production" }), { stack: "prod-eu" });
        assert.deepEqual(messages, [
            'VmCheckpointPolicy "web" gives VM "web01" the checkpoint type Production, but environment "prod-eu" (the stack\'s name) allows only ProductionOnly or Disabled. ' +
                'Set type: "production" with fallbackToStandard: false or disabled: true.',
        ]);
        assert.deepEqual(
            await validateResource(rule, policy("web", { vmName: "web01", type: "production", fallbackToStandard: false }), { stack: "prod-eu" }),
            [],
        );
        assert.deepEqual(await validateResource(rule, policy("web", { vmName: "web01", disabled: true }), { stack: "prod-eu" }), []);
    });

    it("takes the environment from the stack tag when the stack has it", async () => {
        const [message] = await validateResource(rule, policy("dev", { vmName: "dev01", type: "standard" }), {
            stack: "eu-west",
            tags: { environment: "Production" },
        });
        assert.match(message!, /type Standard, but environment "Production" \(stack tag "environment"\) allows only/);
        assert.deepEqual(await validateResource(rule, policy("dev", { vmName: "dev01", type: "standard" }), { stack: "eu-west" }), []);
    });

    it("flags a policy that leaves the type as found in a production environment", async () => {
        const [message] = await validateResource(rule, policy("web", { vmName: "web01", automaticCheckpoints: false }), { stack: "prod" });
        assert.match(message!, /^VmCheckpointPolicy "web" declares no checkpoint type for VM "web01", so the VM keeps whatever type it has/);
    });

    it("flags a Checkpoint overriding the VM's policy with a type the environment forbids", async () => {
        const [message] = await validateResource(rule, checkpoint("quick", { vmName: "web01", name: "q", type: "standard" }), { stack: "prod" });
        assert.equal(
            message,
            'Checkpoint "quick" overrides VM "web01"\'s policy with a Standard checkpoint (type: "standard"), but environment "prod" (the stack\'s name) allows only ProductionOnly or Disabled. ' +
                'Remove type so the VM\'s policy decides, or set type: "productionOnly".',
        );
        assert.deepEqual(await validateResource(rule, checkpoint("safe", { vmName: "web01", name: "s", type: "productionOnly" }), { stack: "prod" }), []);
        assert.deepEqual(await validateResource(rule, checkpoint("plain", { vmName: "web01", name: "p" }), { stack: "prod" }), []);
    });

    it("judges each VM's type in a CheckpointGroup", async () => {
        const release = group("release", {
            name: "r",
            vms: [{ vmName: "web01", type: "productionOnly" }, { vmName: "db01", type: "standard" }, { vmName: "app01" }],
        });
        assert.deepEqual(await validateResource(rule, release, { stack: "prod" }), [
            'CheckpointGroup "release"\'s checkpoint overrides VM "db01"\'s policy with a Standard checkpoint (type: "standard"), but environment "prod" (the stack\'s name) allows only ProductionOnly or Disabled. ' +
                'Remove type so the VM\'s policy decides, or set type: "productionOnly".',
        ]);
    });

    it("follows configured environments", async () => {
        const config = { environments: { "^test": ["Standard", "Production"] } };
        const [message] = await validateResource(rule, policy("x", { vmName: "x", disabled: true }), { stack: "test-1", config });
        assert.match(
            message!,
            /type Disabled, but environment "test-1" \(the stack's name\) allows only Standard or Production\. Set type: "standard" or type: "production"\.$/,
        );
    });
});

describe("governance: checkpoint file location under allowed roots", () => {
    const rule = checkpointFileLocation({ config: { allowedRoots: ["D:\\Checkpoints", "\\\\filer\\hyperv"] } });

    it("flags a location outside every root, naming the roots", async () => {
        assert.deepEqual(await validateResource(rule, policy("web", { vmName: "web01", fileLocation: "E:\\Scratch" })), [
            'VmCheckpointPolicy "web" puts the checkpoint files of VM "web01" in E:\\Scratch, which is not under an allowed root (D:\\Checkpoints, \\\\filer\\hyperv). ' +
                "Set fileLocation to a folder under one of them (Hyper-V changes it only while the VM has no checkpoints).",
        ]);
    });

    it("accepts folders under a root whatever their case, and the root itself", async () => {
        for (const fileLocation of ["d:\\CHECKPOINTS\\web01", "D:\\Checkpoints", "D:\\Checkpoints\\", "\\\\FILER\\HyperV\\web01"]) {
            assert.deepEqual(await validateResource(rule, policy("web", { vmName: "web01", fileLocation })), [], fileLocation);
        }
    });

    it("does not mistake a sibling folder or a way out for a folder under the root", async () => {
        for (const fileLocation of ["D:\\CheckpointsOld", "D:\\Checkpoints\\..\\Windows"]) {
            assert.equal((await validateResource(rule, policy("web", { vmName: "web01", fileLocation }))).length, 1, fileLocation);
        }
    });

    it("leaves an undeclared location alone, and checks Hyper-V's default root by default", async () => {
        assert.deepEqual(await validateResource(rule, policy("web", { vmName: "web01", type: "production" })), []);
        const byDefault = checkpointFileLocation();
        assert.deepEqual(
            await validateResource(byDefault, policy("w", { vmName: "w", fileLocation: "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V\\Snapshots" })),
            [],
        );
        assert.equal((await validateResource(byDefault, policy("w", { vmName: "w", fileLocation: "D:\\Checkpoints" }))).length, 1);
    });
});

describe("governance: production policies ensure the backup integration service", () => {
    const rule = productionEnsuresBackupIntegration();

    it("is advisory by default, and users can change that", () => {
        assert.equal(rule.enforcementLevel, "advisory");
        assert.equal(productionEnsuresBackupIntegration({ enforcementLevel: "mandatory" }).enforcementLevel, "mandatory");
    });

    it("flags a production policy without ensureBackupIntegration", async () => {
        assert.deepEqual(await validateResource(rule, policy("sql", { vmName: "sql01", type: "production", fallbackToStandard: false })), [
            'VmCheckpointPolicy "sql" declares production checkpoints for VM "sql01" but does not ensure the "Backup (volume shadow copy)" integration service they need: ' +
                "without it it fails. Set ensureBackupIntegration: true.",
        ]);
        const [fallback] = await validateResource(rule, policy("web", { vmName: "web01", type: "production" }));
        assert.match(fallback!, /without it it falls back to a standard checkpoint\./);
    });

    it("accepts a policy that ensures it, standard policies, and exempt VMs", async () => {
        assert.deepEqual(await validateResource(rule, policy("sql", { vmName: "sql01", type: "production", ensureBackupIntegration: true })), []);
        assert.deepEqual(await validateResource(rule, policy("dev", { vmName: "dev01", type: "standard" })), []);
        assert.deepEqual(await validateResource(rule, policy("sql", { vmName: "sql01", type: "production" }), { config: { exemptVms: ["SQL01"] } }), []);
    });
});

describe("governance: clustered VMs keep checkpoints on shared storage", () => {
    const rule = clusteredVmsOnSharedStorage({ config: { clusteredVms: ["*"] } });

    it("flags a local folder for a clustered VM, naming the shared places and the option that accepts it", async () => {
        const [message] = await validateResource(rule, policy("sql", { vmName: "sql01", fileLocation: "D:\\Checkpoints\\sql01" }));
        assert.match(message ?? "", /clustered VM "sql01" in D:\\Checkpoints\\sql01, on one node's own disks: they are lost when the VM fails over/);
        assert.match(message ?? "", /allowLocalFileLocation: true/);
    });

    it("accepts a Cluster Shared Volume, an SMB share, and a local folder accepted knowingly", async () => {
        for (const props of [
            { fileLocation: "C:\\ClusterStorage\\Volume1\\Checkpoints" },
            { fileLocation: "\\\\filer\\hyperv\\sql01" },
            { fileLocation: "D:\\Checkpoints", allowLocalFileLocation: true },
        ]) {
            assert.deepEqual(await validateResource(rule, policy("sql", { vmName: "sql01", ...props })), [], JSON.stringify(props));
        }
    });

    it("judges only the VMs the pack lists as clustered (none by default)", async () => {
        const local = { vmName: "build01", fileLocation: "D:\\Checkpoints" };
        assert.deepEqual(await validateResource(clusteredVmsOnSharedStorage(), policy("b", local)), []);
        assert.equal((await validateResource(clusteredVmsOnSharedStorage({ config: { clusteredVms: ["BUILD01"] } }), policy("b", local))).length, 1);
    });
});
