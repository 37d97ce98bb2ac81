import type { CheckpointType } from "../../host";
import type { CheckpointTypeArg } from "./schema";

/** The declaration's checkpoint type as Hyper-V's Set-VM -CheckpointType names it. */
export const hyperVTypeOf: Record<CheckpointTypeArg, Exclude<CheckpointType, "Disabled">> = {
    production: "Production",
    productionOnly: "ProductionOnly",
    standard: "Standard",
};
