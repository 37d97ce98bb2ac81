import type * as grpcTypes from "@grpc/grpc-js";
import * as fs from "node:fs";
import * as path from "node:path";
import { configure, disconnectAll, hostFor } from "../root";
import { checkConfiguredKeys, readHostSettings } from "../config";
import { faceOf, typeOfUrn, withEngineContext, withoutEngineContext } from "./faces";
import { readById } from "./read-by-id";
import { checkResponse, configOf, detailedDiff, diffResponse, predictionError, settingsSource } from "./messages";
import { emptyPb, grpc, type Message, pluginPb, providerGrpc, providerPb, struct } from "./proto";
import { plain } from "./values";
import schema from "./schema.json";

/*
 * The native plugin `pulumi-resource-hyperv`: Pulumi's ResourceProvider gRPC service, served with
 * the stubs @pulumi/pulumi ships (./proto). Every resource call goes to the resources' providers
 * through the composition root (see ./faces); this file only routes the engine's calls.
 */

const VERSION: string = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")).version;
const SCHEMA_TEXT = JSON.stringify({ ...schema, version: VERSION });

/** A handler's result or error as the gRPC callback wants it: a thrown error is its message alone (refusals carry no stack, see plain-refusals). */
function unary<Req>(handle: (request: Req) => Promise<Message>) {
    return (call: { request: Req }, callback: (error: Partial<grpcTypes.ServiceError> | null, response?: Message) => void) => {
        handle(call.request).then(
            (response) => callback(null, response),
            (e: unknown) => callback({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) }),
        );
    };
}

const handlers = {
    getPluginInfo: unary(async () => {
        const info = new pluginPb.PluginInfo();
        info.setVersion(VERSION);
        return info;
    }),

    getSchema: unary(async () => {
        const response = new providerPb.GetSchemaResponse();
        response.setSchema(SCHEMA_TEXT);
        return response;
    }),

    checkConfig: unary(async (request: Message) => {
        const news = plain(request.getNews());
        const settings = Object.fromEntries(Object.entries(news).filter(([k]) => k !== "version"));
        const failures: { property: string; reason: string }[] = [];
        try {
            // The same reader and key check as the dynamic provider's configure: a message naming the key and the fix.
            checkConfiguredKeys(Object.keys(settings).map((k) => `hyperv:${k}`));
            readHostSettings(settingsSource(settings));
        } catch (e) {
            const message = (e as Error).message;
            const key = /hyperv:(\w+)/.exec(message)?.[1] ?? "";
            failures.push({ property: key, reason: message });
        }
        return checkResponse(failures.length > 0 ? { failures } : { inputs: news });
    }),

    diffConfig: unary(async (request: Message) => {
        const olds = plain(request.getOldInputs() ?? request.getOlds());
        const news = plain(request.getNews());
        // A new host or setting applies from the next operation on: nothing is replaced.
        return diffResponse(false, detailedDiff(olds, news, []), [], false);
    }),

    configure: unary(async (request: Message) => {
        const settings = configOf(request);
        await configure(settingsSource(Object.fromEntries(Object.entries(settings).filter(([k]) => k !== "version"))));
        const response = new providerPb.ConfigureResponse();
        response.setAcceptsecrets(false);
        response.setSupportspreview(true);
        response.setAcceptresources(false);
        return response;
    }),

    check: unary(async (request: Message) => {
        const urn: string = request.getUrn();
        const face = faceOf(request.getType() || typeOfUrn(urn));
        const news = face.withDefaults(plain(request.getNews()), request.getName());
        // The engine says whether it previews only in Create and Update: preview's predictions run there (see create).
        const result = await face.provider.check!(plain(request.getOlds()), withEngineContext(news, urn));
        return checkResponse({ ...(result.inputs ? { inputs: withoutEngineContext(result.inputs) } : {}), failures: result.failures ?? [] });
    }),

    diff: unary(async (request: Message) => {
        const urn: string = request.getUrn();
        const face = faceOf(request.getType() || typeOfUrn(urn));
        const news = plain(request.getNews());
        const result = await face.provider.diff!(
            face.resourceId(request.getId()),
            withEngineContext(plain(request.getOlds()), urn),
            withEngineContext(news, urn),
        );
        const replaces = result.replaces ?? [];
        const oldInputs = request.hasOldInputs() ? plain(request.getOldInputs()) : {};
        const diffs = result.changes === false ? new Map<string, number>() : detailedDiff(oldInputs, news, replaces);
        return diffResponse(result.changes, diffs, replaces, result.deleteBeforeReplace ?? false);
    }),

    create: unary(async (request: Message) => {
        const urn: string = request.getUrn();
        const face = faceOf(request.getType() || typeOfUrn(urn));
        const inputs = plain(request.getProperties());
        const response = new providerPb.CreateResponse();
        if (request.getPreview()) {
            // Preview: what `up` would certainly refuse fails here, in the same words (the resources' check with the preview flag).
            const predicted = await face.provider.check!({}, withEngineContext(inputs, urn, true));
            if (predicted.failures?.length) throw predictionError(predicted.failures);
            response.setProperties(struct(inputs));
            return response;
        }
        const { id, outs } = await face.provider.create(withEngineContext(inputs, urn));
        response.setId(id);
        response.setProperties(struct(withoutEngineContext(outs ?? {})));
        return response;
    }),

    read: unary(async (request: Message) => {
        const urn: string = request.getUrn();
        const type = request.getType() || typeOfUrn(urn);
        const face = faceOf(type);
        const props = plain(request.getProperties());
        const response = new providerPb.ReadResponse();
        if (Object.keys(props).length === 0) {
            // `pulumi import`: the id alone.
            const found = await readById(hostFor, type, request.getId());
            if (!found) return response;
            response.setId(found.id);
            response.setProperties(struct(found.outputs));
            response.setInputs(struct(found.inputs));
            return response;
        }
        const id = face.resourceId(request.getId());
        const result = await face.provider.read!(id, withEngineContext(props, urn));
        if (!result.props) return response;
        response.setId(result.id ?? id);
        response.setProperties(struct(withoutEngineContext(result.props)));
        const inputs = result.inputs ? withoutEngineContext(result.inputs) : request.hasInputs() ? plain(request.getInputs()) : undefined;
        if (inputs) response.setInputs(struct(inputs));
        return response;
    }),

    update: unary(async (request: Message) => {
        const urn: string = request.getUrn();
        const face = faceOf(request.getType() || typeOfUrn(urn));
        const olds = plain(request.getOlds());
        const news = plain(request.getNews());
        const response = new providerPb.UpdateResponse();
        if (request.getPreview()) {
            const oldInputs = request.hasOldInputs() ? plain(request.getOldInputs()) : {};
            const predicted = await face.provider.check!(oldInputs, withEngineContext(news, urn, true));
            if (predicted.failures?.length) throw predictionError(predicted.failures);
            response.setProperties(struct({ ...olds, ...news }));
            return response;
        }
        const result = await face.provider.update!(face.resourceId(request.getId()), withEngineContext(olds, urn), withEngineContext(news, urn));
        response.setProperties(struct(withoutEngineContext(result.outs ?? {})));
        return response;
    }),

    delete: unary(async (request: Message) => {
        const urn: string = request.getUrn();
        const face = faceOf(request.getType() || typeOfUrn(urn));
        await face.provider.delete!(face.resourceId(request.getId()), withEngineContext(plain(request.getProperties()), urn));
        return new emptyPb.Empty();
    }),

    cancel: unary(async () => {
        // The engine is stopping: end every session so that nothing keeps the process alive.
        await disconnectAll();
        return new emptyPb.Empty();
    }),
};

/** The plugin's gRPC server on a free loopback port. */
export async function startPlugin(): Promise<{ port: number; stop(): Promise<void> }> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(providerGrpc.ResourceProviderService, handlers as unknown as grpcTypes.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    return { port, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

/** Serves the plugin and prints the port, as the engine expects of a plugin it starts. */
export async function serve(): Promise<void> {
    const { port } = await startPlugin();
    process.stdout.write(`${port}\n`);
}
