import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { policyFields } from "../../provider/resources/policy/schema";
import { checkpointFields } from "../../provider/resources/checkpoint/schema";
import { groupFields } from "../../provider/resources/group/schema";
import { vmTargetShape } from "../../provider/resources/shared/vm-target";
import { generatedSchemaText, SCHEMA_FILE } from "../../tools/schema/write";

// biome-ignore lint/suspicious/noExplicitAny: the schema is JSON read from a file, walked by the test
type Json = Record<string, any>;

describe("the native plugin's schema (provider/native/schema.json)", () => {
    const committed = fs.readFileSync(SCHEMA_FILE, "utf8");
    const schema = JSON.parse(committed) as Json;

    it("is what the zod shapes and their doc comments generate: run `npm run schema` after changing them", () => {
        assert.equal(committed, generatedSchemaText(), "provider/native/schema.json is stale: run `npm run schema` and commit it");
    });

    it("declares every field a program can set, with the shapes' enums and descriptions", () => {
        const resources = schema.resources as Record<string, Json>;
        const inputsOf = (type: string) => Object.keys(resources[`hyperv:index:${type}`]!.inputProperties).sort();
        assert.deepEqual(inputsOf("VmCheckpointPolicy"), Object.keys({ ...vmTargetShape, ...policyFields }).sort());
        assert.deepEqual(inputsOf("Checkpoint"), Object.keys({ ...vmTargetShape, ...checkpointFields }).sort());
        assert.deepEqual(inputsOf("CheckpointGroup"), Object.keys(groupFields).sort());
        assert.deepEqual(resources["hyperv:index:CheckpointGroup"]!.requiredInputs, ["vms"]);

        const policyType = resources["hyperv:index:VmCheckpointPolicy"]!.inputProperties.type;
        assert.deepEqual(
            schema.types[policyType.$ref.replace("#/types/", "")].enum.map((e: Json) => e.value),
            policyFields.type.unwrap().options,
        );
        assert.match(policyType.description, /application-consistent checkpoints through the guest's VSS/);
        const vms = resources["hyperv:index:CheckpointGroup"]!.inputProperties.vms;
        assert.equal(vms.items.$ref, "#/types/hyperv:index:CheckpointGroupVm");
        assert.match(schema.types["hyperv:index:CheckpointGroupVm"].properties.vmName.description, /Names are not unique on Hyper-V/);
    });

    it("marks hyperv:password secret and gives the settings' defaults", () => {
        const variables = schema.config.variables as Record<string, Json>;
        assert.equal(variables.password!.secret, true);
        assert.equal(variables.host!.secret, undefined);
        assert.equal(variables.timeoutSeconds!.default, 120);
        assert.equal(variables.maxSessions!.type, "integer");
    });
});
