import { warn } from "./warnings";

/*
 * A warning shown on one resource from inside the provider process. A dynamic provider's
 * `delete` is given no URN, and what the provider prints goes to the stack's diagnostics: so the
 * SDK records each resource's URN among its inputs (pulumi.createUrn), and the provider sends the
 * warning to the engine's Log service with it, as the program's own pulumi.log.warn would.
 */

interface EngineLog {
    log(request: unknown, callback: (error: Error | null) => void): void;
}

let engine: EngineLog | null | undefined;

/** The engine's Log client, on the address the engine starts the dynamic provider with; null when there is none. */
function engineLog(): EngineLog | null {
    if (engine !== undefined) return engine;
    const address = process.argv[2];
    try {
        if (!address || !/^[\w.-]+:\d+$/.test(address)) throw new Error("no engine address");
        const pulumiDir = require.resolve("@pulumi/pulumi");
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as { credentials: { createInsecure(): unknown } };
        const { EngineClient } = require(require.resolve("@pulumi/pulumi/proto/engine_grpc_pb", { paths: [pulumiDir] })) as {
            EngineClient: new (address: string, credentials: unknown) => EngineLog;
        };
        engine = new EngineClient(address, grpc.credentials.createInsecure());
    } catch {
        engine = null;
    }
    return engine;
}

/** Shows `message` as a warning on the resource `urn`; without a URN or an engine, prints it as before. */
export async function warnOnResource(urn: string | undefined, message: string): Promise<void> {
    if (!urn) return warn(message);
    return sendWarning(message, urn);
}

/** Shows `message` as a warning of the whole update (the stack's configuration, say), not of one resource. */
export async function warnOnStack(message: string): Promise<void> {
    return sendWarning(message);
}

async function sendWarning(message: string, urn?: string): Promise<void> {
    const client = engineLog();
    if (!client) return warn(message);
    const { LogRequest, LogSeverity } = require(require.resolve("@pulumi/pulumi/proto/engine_pb", { paths: [require.resolve("@pulumi/pulumi")] })) as {
        LogRequest: new () => { setSeverity(s: number): unknown; setMessage(m: string): unknown; setUrn(u: string): unknown };
        LogSeverity: { WARNING: number };
    };
    const request = new LogRequest();
    request.setSeverity(LogSeverity.WARNING);
    request.setMessage(message);
    if (urn) request.setUrn(urn);
    const sent = await new Promise<boolean>((resolve) => client.log(request, (error) => resolve(error === null)));
    if (!sent) warn(message);
}
