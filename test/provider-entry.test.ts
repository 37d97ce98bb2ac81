import assert from "node:assert/strict";
import * as entry from "../provider";

describe("the public hyperv-checkpoints/provider entry", () => {
    it("offers what programs and the serialised providers use, and none of the seams tests use", () => {
        for (const used of [
            "configure",
            "configureSettings",
            "hostFor",
            "disconnectAll",
            "checkpointProvider",
            "policyProvider",
            "checkpointGroupProvider",
            "readHostSettings",
        ]) {
            assert.ok(used in entry, `${used} is exported`);
        }
        for (const seam of ["useHostFactory", "forgetPreview", "openAdapter"]) assert.ok(!(seam in entry), `${seam} is not exported`);
    });
});
