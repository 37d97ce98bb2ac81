import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initLab, readLab } from "../../provider/lab";
import { readHostSettings } from "../../provider/config";
import { journalPath } from "../../provider/lab";
import { PREVIEW_FLAG } from "../../provider/resources/shared/preview";
import { configureSettings, forgetPreview, policyProvider } from "../../provider/root";
import { startPlugin } from "../../provider/native/server";
import { SCHEMA_FILE } from "../../tools/schema/write";

/*
 * The plugin's gRPC service called in process, as the engine calls it: what the engine tests
 * (test/native/yaml-*.test.ts) do not reach on their own: the configuration's check and secrets,
 * the detailed diff and its replaces, the plugin's own info.
 */

// biome-ignore lint/suspicious/noExplicitAny: the generated stubs' messages, used through their getters and setters
type Message = any;
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb");

const secret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
const URN = "urn:pulumi:test::p::hyperv:index:VmCheckpointPolicy::web01";
const TYPE = "hyperv:index:VmCheckpointPolicy";

describe("the native plugin's gRPC service, in process", () => {
    let plugin: { port: number; stop(): Promise<void> };
    let client: Message;
    let lab: string;
    const call = (method: string, request: Message): Promise<Message> =>
        new Promise((resolve, reject) => client[method](request, (e: Error | null, r: Message) => (e ? reject(e) : resolve(r))));
    const checkConfig = (news: Record<string, unknown>) => {
        const request = new providerPb.CheckRequest();
        request.setUrn("urn:pulumi:test::p::pulumi:providers:hyperv::default");
        request.setNews(Struct.fromJavaScript(news));
        return call("checkConfig", request);
    };
    const failuresOf = (response: Message) => response.getFailuresList().map((f: Message) => ({ property: f.getProperty(), reason: f.getReason() }));

    before(async () => {
        lab = fs.mkdtempSync(path.join(os.tmpdir(), "hvcp-plugin-"));
        await initLab(lab, { sample: true });
        plugin = await startPlugin();
        client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    });
    after(async () => {
        client?.close();
        await plugin?.stop();
        configureSettings(readHostSettings({ get: () => undefined }));
        fs.rmSync(lab, { recursive: true, force: true });
    });

    it("tells its version and serves the generated schema", async () => {
        const info = await call("getPluginInfo", new Empty());
        assert.equal(info.getVersion(), JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")).version);
        const schema = JSON.parse((await call("getSchema", new providerPb.GetSchemaRequest())).getSchema());
        assert.deepEqual({ ...schema, version: undefined }, { ...JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")), version: undefined });
    });

    it("checks the hyperv:* settings with the dynamic provider's reader: a bad value or a misspelt key names the key, a secret is unwrapped", async () => {
        let expected = "";
        try {
            readHostSettings({ get: (k) => (k === "hyperv:timeoutSeconds" ? "-5" : undefined) });
        } catch (e) {
            expected = (e as Error).message;
        }
        assert.deepEqual(failuresOf(await checkConfig({ timeoutSeconds: "-5" })), [{ property: "timeoutSeconds", reason: expected }]);
        const [misspelt] = failuresOf(await checkConfig({ timeoutSecond: "30" }));
        assert.equal(misspelt.property, "timeoutSecond");
        assert.match(misspelt.reason, /did you mean hyperv:timeoutSeconds\?/);
        assert.deepEqual(failuresOf(await checkConfig({ host: "winrm://hv01", user: "CORP\\svc", password: secret("pw"), timeoutSeconds: secret("30") })), []);
        const [noPassword] = failuresOf(await checkConfig({ host: "winrm://hv01", user: "CORP\\svc" }));
        assert.equal(noPassword.property, "user");
        assert.match(noPassword.reason, /a WinRM user needs hyperv:password/);
    });

    it("configures from the engine's settings, creates, diffs per property (a new VM replaces, a new type updates), and fails a preview where up would", async () => {
        const configure = new providerPb.ConfigureRequest();
        configure.setArgs(Struct.fromJavaScript({ host: `lab:${lab}`, timeoutSeconds: secret("30") }));
        const configured = await call("configure", configure);
        assert.equal(configured.getSupportspreview(), true);
        assert.equal(configured.getAcceptsecrets(), false);

        const create = new providerPb.CreateRequest();
        create.setUrn(URN);
        create.setType(TYPE);
        create.setProperties(Struct.fromJavaScript({ vmName: "web01", type: "standard" }));
        const created = await call("create", create);
        const outputs = created.getProperties().toJavaScript();
        assert.equal(readLab(lab).vms.find((v) => v.name === "web01")!.checkpointType, "Standard");
        assert.equal(created.getId(), outputs.vmId);
        assert.equal("resourceUrn" in outputs, false, "the URN comes from the engine's requests and is not stored");

        const diff = async (news: Record<string, unknown>) => {
            const request = new providerPb.DiffRequest();
            request.setId(created.getId());
            request.setUrn(URN);
            request.setType(TYPE);
            request.setOlds(Struct.fromJavaScript(outputs));
            request.setOldInputs(Struct.fromJavaScript({ vmName: "web01", type: "standard" }));
            request.setNews(Struct.fromJavaScript(news));
            const response = await call("diff", request);
            const detailed: Record<string, number> = {};
            response.getDetaileddiffMap().forEach((d: Message, key: string) => {
                detailed[key] = d.getKind();
            });
            return { changes: response.getChanges(), replaces: response.getReplacesList(), detailed };
        };
        const Kind = providerPb.PropertyDiff.Kind;
        const Changes = providerPb.DiffResponse.DiffChanges;
        assert.deepEqual(await diff({ vmName: "web01", type: "standard" }), { changes: Changes.DIFF_NONE, replaces: [], detailed: {} });
        assert.deepEqual(await diff({ vmName: "web01", type: "production" }), { changes: Changes.DIFF_SOME, replaces: [], detailed: { type: Kind.UPDATE } });
        const moved = await diff({ vmName: "dev01", type: "standard" });
        assert.deepEqual(moved.replaces, ["vmName"]);
        assert.deepEqual(moved.detailed, { vmName: Kind.UPDATE_REPLACE });

        // Preview: the engine says so in Create; what `up` would certainly refuse fails there, in the
        // words the dynamic provider's check gives in its preview (the same resource code decides).
        const legacy = { vmName: "legacy-erp", type: "production", fallbackToStandard: false };
        const journal = fs.readFileSync(journalPath(lab), "utf8");
        forgetPreview();
        const dynamicPreview = await policyProvider.check!({}, { ...legacy, resourceUrn: URN, [PREVIEW_FLAG]: true });
        const [predicted] = dynamicPreview.failures ?? [];
        assert.equal(predicted?.property, "fallbackToStandard");
        forgetPreview();
        const preview = new providerPb.CreateRequest();
        preview.setUrn(URN);
        preview.setType(TYPE);
        preview.setPreview(true);
        preview.setProperties(Struct.fromJavaScript(legacy));
        await assert.rejects(call("create", preview), (e: Error) => e.message.includes(`fallbackToStandard: ${predicted!.reason}`));
        assert.match(predicted!.reason, /production-only checkpoints can never succeed on this VM: configuration version 5\.0 is below 6\.2/);
        assert.equal(fs.readFileSync(journalPath(lab), "utf8"), journal, "a preview changes nothing on the host");

        await call("cancel", new Empty());
    });
});
