import type { CheckpointType } from "../../provider/host";
import type { CheckpointView, PolicyView } from "./resources";

/**
 * The `Set-VM -CheckpointType` a VmCheckpointPolicy declares (the mapping in docs/hyper-v.md,
 * §1); undefined when it declares no type, so the VM keeps whatever type it has.
 */
export function declaredCheckpointType(policy: PolicyView): CheckpointType | undefined {
    if (policy.disabled === true) return "Disabled";
    if (policy.type === "standard") return "Standard";
    // Hyper-V's default for production is to fall back: only an explicit false means ProductionOnly.
    if (policy.type === "production") return policy.fallbackToStandard === false ? "ProductionOnly" : "Production";
    return undefined;
}

/** The type a Checkpoint's own `type` argument switches the VM to for that one checkpoint. */
export function checkpointOverrideType(checkpoint: CheckpointView): CheckpointType | undefined {
    switch (checkpoint.type) {
        case "standard":
            return "Standard";
        case "production":
            return "Production";
        case "productionOnly":
            return "ProductionOnly";
        default:
            return undefined;
    }
}

/** How a user declares a type on a VmCheckpointPolicy, for the fix part of a message. */
export const policyDeclarationOf: Record<CheckpointType, string> = {
    Disabled: "disabled: true",
    ProductionOnly: 'type: "production" with fallbackToStandard: false',
    Production: 'type: "production"',
    Standard: 'type: "standard"',
};

/** The Checkpoint `type` argument that asks for a type, where one exists. */
export const checkpointArgumentOf: Record<CheckpointType, string | undefined> = {
    Disabled: undefined,
    ProductionOnly: 'type: "productionOnly"',
    Production: 'type: "production"',
    Standard: 'type: "standard"',
};

export function orList(items: readonly string[]): string {
    if (items.length <= 1) return items.join("");
    return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
