/** What one VM of a group went through in an operation that failed as a whole. */
export interface MemberOutcome {
    host: string;
    /** The VM as declared or, once read, as the host names it. */
    vm: string;
    vmId?: string;
    checkpoint: string;
    checkpointId?: string;
    /** e.g. "taken, then removed again", "refused: …", "not attempted". */
    outcome: string;
}

/** Brand, so that the class check survives two copies of the package in one process. */
const BRAND = Symbol.for("hyperv-checkpoints.CheckpointGroupError");

/**
 * A group operation that failed: which one, the state every VM of the group is in afterwards, and
 * what to do. `cause` is the first host error, with its own VM, checkpoint and host.
 */
export class CheckpointGroupError extends Error {
    readonly operation: "take checkpoint group" | "roll back checkpoint group" | "remove checkpoint group";
    readonly group: string;
    readonly outcomes: readonly MemberOutcome[];
    readonly hint: string;
    readonly [BRAND] = true;

    constructor(operation: CheckpointGroupError["operation"], group: string, summary: string, outcomes: MemberOutcome[], hint: string, cause?: unknown) {
        const lines = outcomes.map((o) => `  - VM "${o.vm}"${o.vmId ? ` (${o.vmId})` : ""} on host ${o.host}: ${o.outcome}`);
        super(`${operation} "${group}" failed: ${summary}.\n${lines.join("\n")}\n${hint}.`, cause === undefined ? undefined : { cause });
        this.name = "CheckpointGroupError";
        this.operation = operation;
        this.group = group;
        this.outcomes = outcomes;
        this.hint = hint;
    }
}

/** A group refused before anything was taken: what every VM's check found. */
export function nothingTaken(group: string, outcomes: MemberOutcome[], cause: unknown): CheckpointGroupError {
    return new CheckpointGroupError(
        "take checkpoint group",
        group,
        "nothing was taken on any VM",
        outcomes,
        "Fix what is refused and run `pulumi up` again",
        cause,
    );
}

export function isCheckpointGroupError(e: unknown): e is CheckpointGroupError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** A failure's own words, without repeating the group's framing. */
export function reasonOf(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
