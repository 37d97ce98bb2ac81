import assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { checkpointOutputsSchema, checkpointResultShape, type CheckpointOutputs } from "../../provider/resources/checkpoint/schema";
import { groupOutputsSchema, groupResultShape, type GroupMemberOutput } from "../../provider/resources/group/schema";
import { policyOutputsSchema, policyResultShape, type PolicyOutputs } from "../../provider/resources/policy/schema";
import type { Checkpoint, CheckpointGroup, CheckpointGroupMember, VmCheckpointPolicy } from "../../sdk";

/** True only when A and B are the same type (checked by the build: a wrong `true` does not compile). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe("the SDK's outputs are the provider's", () => {
    it("each resource reports exactly the fields its provider records, typed as recorded", () => {
        const typed: [
            Same<Checkpoint["kind"], pulumi.Output<CheckpointOutputs["kind"]>>,
            Same<Checkpoint["vmStateAtCreation"], pulumi.Output<CheckpointOutputs["vmStateAtCreation"]>>,
            Same<VmCheckpointPolicy["priorSettings"], pulumi.Output<PolicyOutputs["priorSettings"]>>,
            Same<VmCheckpointPolicy["warning"], pulumi.Output<string | null>>,
            Same<CheckpointGroup["members"], pulumi.Output<GroupMemberOutput[]>>,
            Same<CheckpointGroupMember, GroupMemberOutput>,
        ] = [true, true, true, true, true, true];
        assert.deepEqual(typed, [true, true, true, true, true, true]);
        for (const [shape, outputs] of [
            [checkpointResultShape, checkpointOutputsSchema.shape],
            [policyResultShape, policyOutputsSchema.shape],
            [groupResultShape, groupOutputsSchema.shape],
        ] as const) {
            for (const [field, schema] of Object.entries(shape))
                assert.equal((outputs as Record<string, unknown>)[field], schema, `${field} is recorded as reported`);
        }
    });
});
