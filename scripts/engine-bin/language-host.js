// @ts-check
"use strict";
/*
 * The Node.js language host for the Pulumi engine (pulumi-language-nodejs), as a Node program.
 *
 * The Go module of Pulumi's own language host is not served by the module proxy these machines
 * reach, so this project ships its own. It implements the LanguageRuntime gRPC service with the
 * stubs @pulumi/pulumi ships, following the real host's contract:
 *   - started as `pulumi-language-nodejs [-flags] <engine-address>`, it prints its port on stdout;
 *   - Run starts `@pulumi/pulumi/cmd/run` with the monitor and engine addresses, the stack's config
 *     in PULUMI_CONFIG and secret keys in PULUMI_CONFIG_SECRET_KEYS; exit code 32 means "the
 *     program already showed the user an actionable error" (bail);
 *   - RunPlugin starts a policy pack (`cmd/run-policy-pack`) or a plugin (`cmd/run-plugin`) from
 *     its directory and streams its stdout, stderr and exit code back to the engine;
 *   - GetRequiredPackages lists node_modules packages that declare a resource plugin.
 * Calls the engine makes only for `pulumi new`/codegen are left unimplemented, which the engine
 * treats as "not supported".
 */
const path = require("node:path");
const fs = require("node:fs");
const { spawn } = require("node:child_process");

/** Exit code with which @pulumi/pulumi says it already reported the error to the user. */
const EXIT_AFTER_ACTIONABLE_MESSAGE = 32;

function parseArgs(argv) {
    const flags = { typescript: true, root: "", tracing: "" };
    const positional = [];
    for (const arg of argv) {
        const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg);
        if (m) {
            const value = m[2] ?? "true";
            if (m[1] === "typescript") flags.typescript = value !== "false";
            else if (m[1] === "root") flags.root = value;
            else if (m[1] === "tracing") flags.tracing = value;
        } else {
            positional.push(arg);
        }
    }
    return { flags, engineAddress: positional[0] ?? "" };
}

/** Resolves a module of @pulumi/pulumi from the program's own node_modules, as the real host does. */
function resolveFrom(dir, request) {
    return require.resolve(request, { paths: [dir] });
}

function loadSdk(dir) {
    const grpc = require(resolveFrom(dir, "@grpc/grpc-js"));
    const services = require(resolveFrom(dir, "@pulumi/pulumi/proto/language_grpc_pb.js"));
    const messages = require(resolveFrom(dir, "@pulumi/pulumi/proto/language_pb.js"));
    const pluginMessages = require(resolveFrom(dir, "@pulumi/pulumi/proto/plugin_pb.js"));
    const emptyPb = require(resolveFrom(dir, "google-protobuf/google/protobuf/empty_pb.js"));
    const sdkVersion = require(resolveFrom(dir, "@pulumi/pulumi/package.json")).version;
    return { grpc, services, messages, pluginMessages, emptyPb, sdkVersion };
}

/** Runtime options of Pulumi.yaml (`runtime.options`), as the engine passes them in ProgramInfo. */
function programOptions(info) {
    const options = info?.getOptions()?.toJavaScript() ?? {};
    return /** @type {Record<string, unknown>} */ (options);
}

function programEnv(options, defaults) {
    /** @type {Record<string, string>} */
    const env = {};
    const typescript = options.typescript ?? defaults.typescript;
    env.PULUMI_NODEJS_TYPESCRIPT = String(typescript !== false && typescript !== "false");
    if (typeof options.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    if (options.transpileOnly !== undefined) env.PULUMI_NODEJS_TRANSPILE_ONLY = String(options.transpileOnly);
    return env;
}

function nodeArgsOf(options) {
    return typeof options.nodeargs === "string" && options.nodeargs.trim() ? options.nodeargs.trim().split(/\s+/) : [];
}

/** Packages in node_modules whose package.json says `"pulumi": { "resource": true }`. */
function requiredPackages(programDir, pluginMessages) {
    const found = [];
    const seen = new Set();
    for (let dir = programDir; ; dir = path.dirname(dir)) {
        const modules = path.join(dir, "node_modules");
        if (fs.existsSync(modules)) {
            for (const entry of fs.readdirSync(modules)) {
                const candidates = entry.startsWith("@")
                    ? fs.readdirSync(path.join(modules, entry)).map((n) => path.join(modules, entry, n))
                    : [path.join(modules, entry)];
                for (const pkgDir of candidates) {
                    const pkg = readJson(path.join(pkgDir, "package.json"));
                    if (!pkg?.pulumi?.resource || seen.has(pkg.name)) continue;
                    seen.add(pkg.name);
                    const dep = new pluginMessages.PackageDependency();
                    dep.setKind("resource");
                    dep.setName(
                        pkg.pulumi.name ??
                            String(pkg.name)
                                .replace(/^@pulumi\//, "")
                                .replace(/^@/, ""),
                    );
                    const version = pkg.pulumi.version ?? pkg.version;
                    dep.setVersion(version.startsWith("v") ? version : `v${version}`);
                    if (pkg.pulumi.server) dep.setServer(pkg.pulumi.server);
                    found.push(dep);
                }
            }
        }
        if (path.dirname(dir) === dir) break;
    }
    return found;
}

function readJson(file) {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
}

function programDirOf(info, fallback) {
    return info?.getProgramDirectory() || fallback;
}

function main() {
    const { flags, engineAddress: argEngine } = parseArgs(process.argv.slice(2));
    const here = flags.root || process.cwd();
    const sdk = loadSdk(here);
    const { grpc, services, messages, pluginMessages, emptyPb } = sdk;
    const state = { engineAddress: argEngine };

    const unary = (fn) => (call, callback) => {
        Promise.resolve()
            .then(() => fn(call.request))
            .then(
                (res) => callback(null, res),
                (err) => callback({ code: grpc.status.UNKNOWN, details: String(err?.stack ?? err) }),
            );
    };

    const handlers = {
        handshake: unary((req) => {
            state.engineAddress = req.getEngineAddress() || state.engineAddress;
            return new messages.LanguageHandshakeResponse();
        }),
        getPluginInfo: unary(() => {
            const info = new pluginMessages.PluginInfo();
            info.setVersion(sdk.sdkVersion);
            return info;
        }),
        getRequiredPlugins: unary(() => new messages.GetRequiredPluginsResponse()),
        getRequiredPackages: unary((req) => {
            const res = new messages.GetRequiredPackagesResponse();
            res.setPackagesList(requiredPackages(programDirOf(req.getInfo(), here), pluginMessages));
            return res;
        }),
        about: unary(() => {
            const res = new messages.AboutResponse();
            res.setExecutable(process.execPath);
            res.setVersion(process.version);
            return res;
        }),
        getProgramDependencies: unary(() => new messages.GetProgramDependenciesResponse()),
        runtimeOptionsPrompts: unary(() => new messages.RuntimeOptionsResponse()),
        cancel: unary(() => new emptyPb.Empty()),
        run: unary((req) => runProgram(req)),
        runPlugin: (call) => runPlugin(call),
        installDependencies: (call) => installDependencies(call),
    };

    async function runProgram(req) {
        const info = req.getInfo();
        const programDir = programDirOf(info, req.getPwd() || here);
        const options = programOptions(info);
        const runPath = resolveFrom(programDir, "@pulumi/pulumi/cmd/run");
        const args = [...nodeArgsOf(options), runPath];
        const flag = (name, value) => {
            if (value !== undefined && value !== "") args.push(`--${name}`, String(value));
        };
        flag("monitor", req.getMonitorAddress());
        flag("engine", state.engineAddress);
        flag("organization", req.getOrganization());
        flag("project", req.getProject());
        flag("stack", req.getStack());
        flag("pwd", req.getPwd());
        flag("root-directory", info?.getRootDirectory());
        if (req.getDryrun()) args.push("--dry-run");
        flag("parallel", req.getParallel());
        flag("tracing", flags.tracing);
        const entry = info?.getEntryPoint() || ".";
        args.push(path.join(programDir, entry), ...req.getArgsList());

        const config = Object.fromEntries(req.getConfigMap().toArray());
        const env = {
            ...process.env,
            ...programEnv(options, flags),
            PULUMI_CONFIG: JSON.stringify(config),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
        };
        const code = await new Promise((resolve, reject) => {
            const child = spawn(process.execPath, args, { cwd: req.getPwd() || programDir, env, stdio: ["ignore", "inherit", "inherit"] });
            child.on("error", reject);
            child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
        });
        const res = new messages.RunResponse();
        if (code === EXIT_AFTER_ACTIONABLE_MESSAGE) {
            res.setBail(true);
        } else if (code !== 0) {
            res.setError(`Program exited with non-zero exit code: ${code}`);
        }
        return res;
    }

    function runPlugin(call) {
        const req = call.request;
        const info = req.getInfo();
        const pluginDir = programDirOf(info, req.getPwd() || here);
        const options = programOptions(info);
        const isPolicyPack = req.getKind() === "analyzer";
        let args;
        try {
            const entry = resolveFrom(pluginDir, isPolicyPack ? "@pulumi/pulumi/cmd/run-policy-pack" : "@pulumi/pulumi/cmd/run-plugin");
            // run-policy-pack takes <engine-address> <program>; run-plugin takes <program> <args...>.
            args = isPolicyPack
                ? [...nodeArgsOf(options), entry, ...req.getArgsList(), pluginDir]
                : [...nodeArgsOf(options), entry, pluginDir, ...req.getArgsList()];
        } catch {
            call.destroy({
                code: grpc.status.FAILED_PRECONDITION,
                details: `it looks like the plugin's dependencies are not installed; run npm install in ${pluginDir}`,
            });
            return;
        }
        const extraEnv = Object.fromEntries(req.getEnvList().map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
        const env = { ...process.env, ...programEnv(options, flags), ...extraEnv };
        streamChild(call, spawn(process.execPath, args, { cwd: pluginDir, env, stdio: ["ignore", "pipe", "pipe"] }), messages.RunPluginResponse, true);
    }

    function installDependencies(call) {
        const req = call.request;
        const dir = programDirOf(req.getInfo(), req.getDirectory() || here);
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        streamChild(
            call,
            spawn(npm, ["install"], { cwd: dir, env: process.env, stdio: ["ignore", "pipe", "pipe"] }),
            messages.InstallDependenciesResponse,
            false,
        );
    }

    function streamChild(call, child, Response, withExitCode) {
        const send = (setter, chunk) => {
            const msg = new Response();
            msg[setter](new Uint8Array(chunk));
            call.write(msg);
        };
        child.stdout.on("data", (chunk) => send("setStdout", chunk));
        child.stderr.on("data", (chunk) => send("setStderr", chunk));
        call.on("cancelled", () => child.kill());
        child.on("error", (err) => call.destroy({ code: grpc.status.UNKNOWN, details: String(err) }));
        child.on("close", (code) => {
            if (withExitCode) {
                const msg = new Response();
                msg.setExitcode(code ?? 1);
                call.write(msg);
            } else if (code !== 0) {
                call.destroy({ code: grpc.status.UNKNOWN, details: `npm install exited with code ${code}` });
                return;
            }
            call.end();
        });
    }

    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(services.LanguageRuntimeService, handlers);
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
            console.error(`pulumi-language-nodejs: could not start the gRPC server: ${err.message}`);
            process.exit(1);
        }
        process.stdout.write(`${port}\n`);
    });
    // The engine ends plugins by closing their stdin or killing them.
    process.on("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
}

main();
