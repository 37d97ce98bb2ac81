import type { InvocationOptions, Transport } from "../../../provider/powershell/transport";
import { decodeParameter } from "../../../provider/powershell/scripts/render";

export interface RecordedInvocation {
    operation: string;
    script: string;
    input: Record<string, unknown>;
    options: InvocationOptions;
}

/**
 * A transport that records every script it is given and answers with what the test scripted:
 * a function of the operation and its decoded input, returning the JSON document a host prints.
 */
export class RecordingTransport implements Transport {
    readonly displayName = "recorded-host";
    readonly invocations: RecordedInvocation[] = [];
    disposed = 0;
    /** Concurrent invocations at the moment of the busiest call. */
    maxConcurrent = 0;
    private running = 0;

    constructor(private readonly respond: (operation: string, input: Record<string, unknown>) => unknown | Promise<unknown>) {}

    async invoke(script: string, options: InvocationOptions): Promise<string> {
        const operation = /^# hyperv-checkpoints: (.+)$/m.exec(script)?.[1] ?? "?";
        const input = decodeParameter(script) as Record<string, unknown>;
        this.invocations.push({ operation, script, input, options });
        this.running++;
        this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
        try {
            const answer = await this.respond(operation, input);
            return typeof answer === "string" ? answer : JSON.stringify(answer);
        } finally {
            this.running--;
        }
    }

    async dispose(): Promise<void> {
        this.disposed++;
    }
}
