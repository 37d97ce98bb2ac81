import type { WarnOnResource } from "./resources/shared/resource-warnings";

/*
 * Warnings shown on one resource from inside the provider process. A dynamic provider's `delete`
 * is given no URN, and what the provider prints goes to the stack's diagnostics: so the SDK
 * records each resource's URN among its inputs (pulumi.createUrn), and the provider sends the
 * warning to the engine's Log service with it, as the program's own pulumi.log.warn would. The
 * composition root (./root) makes the one client of a process and hands the warning function to
 * the resources.
 */

interface EngineLog {
    log(request: unknown, callback: (error: Error | null) => void): void;
}

/** Without a URN or an engine: stderr, which the engine records in its logs (and tests read). */
function warnOnStderr(message: string): void {
    process.stderr.write(`warning: hyperv-checkpoints: ${message}\n`);
}

function statusOnStderr(message: string): void {
    process.stderr.write(`hyperv-checkpoints: ${message}\n`);
}

/** The engine's Log client on `address` (host:port, as the engine starts the dynamic provider with); null when there is none. */
function connectEngineLog(address: string | undefined): EngineLog | null {
    try {
        if (!address || !/^[\w.-]+:\d+$/.test(address)) return null;
        const pulumiDir = require.resolve("@pulumi/pulumi");
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as { credentials: { createInsecure(): unknown } };
        const { EngineClient } = require(require.resolve("@pulumi/pulumi/proto/engine_grpc_pb", { paths: [pulumiDir] })) as {
            EngineClient: new (address: string, credentials: unknown) => EngineLog;
        };
        return new EngineClient(address, grpc.credentials.createInsecure());
    } catch {
        return null;
    }
}

/**
 * A warning function that can also warn on the whole update (the stack's configuration, say), and
 * show a resource's status while it works (a merge's progress): an info message the engine
 * displays on the resource's row and records in its events, not a warning.
 */
export type EngineWarnings = WarnOnResource & { onStack(message: string): Promise<void>; status: WarnOnResource };

/**
 * The warning function of a process whose engine listens on `address`: the client is opened on
 * the first warning sent to the engine; when there is no engine, or it does not take the warning,
 * the warning goes to stderr. A resource's warning without a URN goes to stderr too.
 */
export function engineWarnings(address: string | undefined): EngineWarnings {
    let engine: EngineLog | null | undefined;
    const send = async (message: string, urn?: string, status = false): Promise<void> => {
        if (engine === undefined) engine = connectEngineLog(address);
        if (!engine) return status ? statusOnStderr(message) : warnOnStderr(message);
        const { LogRequest, LogSeverity } = require(require.resolve("@pulumi/pulumi/proto/engine_pb", { paths: [require.resolve("@pulumi/pulumi")] })) as {
            LogRequest: new () => {
                setSeverity(s: number): unknown;
                setMessage(m: string): unknown;
                setUrn(u: string): unknown;
                setEphemeral(e: boolean): unknown;
            };
            LogSeverity: { WARNING: number; INFO: number };
        };
        const request = new LogRequest();
        request.setSeverity(status ? LogSeverity.INFO : LogSeverity.WARNING);
        if (status) request.setEphemeral(true);
        request.setMessage(message);
        if (urn) request.setUrn(urn);
        const client = engine;
        const sent = await new Promise<boolean>((resolve) => client.log(request, (error) => resolve(error === null)));
        if (!sent) (status ? statusOnStderr : warnOnStderr)(message);
    };
    const onResource: WarnOnResource = async (urn, message) => (urn ? send(message, urn) : warnOnStderr(message));
    const status: WarnOnResource = async (urn, message) => (urn ? send(message, urn, true) : statusOnStderr(message));
    return Object.assign(onResource, { onStack: (message: string) => send(message), status });
}
