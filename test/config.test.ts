import assert from "node:assert/strict";
import { checkConfiguredKeys, configuredKeys, DEFAULT_MAX_SESSIONS, MAX_SESSIONS_LIMIT, readHostSettings } from "../provider/config";
import { openAdapter } from "../provider/connect";

function settings(values: Record<string, string>) {
    return () => readHostSettings({ get: (key) => values[key] });
}

describe("stack configuration: credentials that cannot work are refused, naming the key and the fix", () => {
    const refused: [string, Record<string, string>, RegExp][] = [
        [
            "a WinRM user without a password",
            { "hyperv:host": "winrm://hv01", "hyperv:user": "CORP\\hvadmin" },
            /hyperv:user: a WinRM user needs hyperv:password \(`pulumi config set --secret hyperv:password/,
        ],
        ["a WinRM password without a user", { "hyperv:host": "winrm://hv01", "hyperv:password": "pw" }, /hyperv:password: a WinRM password needs hyperv:user/],
        [
            "a password for SSH, which signs in with a key",
            { "hyperv:host": "ssh://admin@hv01", "hyperv:password": "pw" },
            /hyperv:password: SSH remoting signs in with a key.*hyperv:keyFile/,
        ],
    ];
    for (const [what, values, message] of refused) {
        it(`refuses ${what}`, () => {
            assert.throws(settings(values), (e: Error) => message.test(e.message) && !e.message.includes('pw"'));
        });
    }

    it("accepts a WinRM user with a password, and the current Windows user without either", () => {
        assert.equal(settings({ "hyperv:host": "winrm://hv01", "hyperv:user": "u", "hyperv:password": "p" })().user, "u");
        assert.equal(settings({ "hyperv:host": "winrm://hv01" })().user, undefined);
    });

    it("reads an SSH known_hosts file", () => {
        assert.equal(
            settings({ "hyperv:host": "ssh://admin@hv01", "hyperv:knownHostsFile": "/etc/hvcp/known_hosts" })().knownHostsFile,
            "/etc/hvcp/known_hosts",
        );
    });
});

describe("stack configuration: hyperv:maxSessions", () => {
    it("defaults to the documented number of shells side by side", () => {
        assert.equal(settings({ "hyperv:host": "local" })().maxSessions, DEFAULT_MAX_SESSIONS);
    });

    it("reads a whole number from 1 to the WinRM limit", () => {
        assert.equal(settings({ "hyperv:host": "local", "hyperv:maxSessions": "1" })().maxSessions, 1);
        assert.equal(settings({ "hyperv:host": "local", "hyperv:maxSessions": String(MAX_SESSIONS_LIMIT) })().maxSessions, MAX_SESSIONS_LIMIT);
    });

    const refused: [string, RegExp][] = [
        ["0", /hyperv:maxSessions: must be at least 1/],
        ["-2", /hyperv:maxSessions: must be at least 1/],
        ["2.5", /hyperv:maxSessions: must be a whole number/],
        [String(MAX_SESSIONS_LIMIT + 1), /hyperv:maxSessions: must be at most 30, WinRM's default MaxShellsPerUser/],
        ["four", /hyperv:maxSessions/],
    ];
    for (const [value, message] of refused) {
        it(`refuses ${JSON.stringify(value)}, naming the key`, () => {
            assert.throws(settings({ "hyperv:host": "local", "hyperv:maxSessions": value }), (e: Error) => message.test(e.message));
        });
    }
});

describe("stack configuration: a number that is not one is refused in the user's words, naming the key", () => {
    const refused: [string, string, RegExp][] = [
        ["hyperv:maxSessions", "abc", /^invalid stack configuration hyperv:maxSessions: must be a whole number of shells from 1 to 30, e\.g\. 4$/],
        ["hyperv:timeoutSeconds", "0", /^invalid stack configuration hyperv:timeoutSeconds: must be more than 0 seconds, e\.g\. 120$/],
        ["hyperv:timeoutSeconds", "two minutes", /^invalid stack configuration hyperv:timeoutSeconds: must be a number of seconds, e\.g\. 120$/],
        ["hyperv:mergeTimeoutSeconds", "-5", /^invalid stack configuration hyperv:mergeTimeoutSeconds: must be more than 0 seconds, e\.g\. 1800$/],
    ];
    for (const [key, value, message] of refused) {
        it(`refuses ${key} ${JSON.stringify(value)} without zod's words`, () => {
            assert.throws(settings({ "hyperv:host": "local", [key]: value }), (e: Error) => {
                assert.match(e.message, message);
                assert.doesNotMatch(e.message, /expected|received|NaN|Too small/);
                return true;
            });
        });
    }
});

describe("stack configuration keys: a hyperv:* key that is no setting is reported, naming the setting it was meant to be", () => {
    const misspelt: [string, string][] = [
        ["hyperv:timeoutSecond", "hyperv:timeoutSeconds"],
        ["hyperv:keyfile", "hyperv:keyFile"],
        ["hyperv:maxSesions", "hyperv:maxSessions"],
        ["hyperv:hots", "hyperv:host"],
    ];
    for (const [key, meant] of misspelt) {
        it(`refuses ${key}: did you mean ${meant}?`, () => {
            assert.throws(
                () => checkConfiguredKeys([key]),
                (e: Error) => e.message.includes(`invalid stack configuration ${key}:`) && e.message.includes(`did you mean ${meant}?`),
            );
        });
    }

    it("warns about a key far from any setting, naming the closest, and leaves other namespaces alone", () => {
        const warnings = checkConfiguredKeys(["hyperv:host", "hyperv:region", "aws:region", "e2e:policies", "hyperv:timeoutSeconds"]);
        assert.equal(warnings.length, 1);
        assert.match(
            warnings[0]!,
            /^stack configuration hyperv:region is not a setting of hyperv-checkpoints and is ignored \(the closest is hyperv:\w+; the settings are hyperv:host, /,
        );
    });

    it("lists the keys Pulumi's dynamic-provider configuration holds, and none for a plain getter", () => {
        const { Config } = require("@pulumi/pulumi/cmd/dynamic-provider/config") as { Config: new (raw: Record<string, unknown>, project: string) => unknown };
        assert.deepEqual(configuredKeys(new Config({ "hyperv:host": "local", "hyperv:timeoutSecond": "5" }, "p")), ["hyperv:host", "hyperv:timeoutSecond"]);
        assert.deepEqual(configuredKeys({ get: () => undefined }), []);
    });
});

describe("stack configuration: hyperv:endpoint", () => {
    it("reads installed for ssh:// and winrm:// hosts, and leaves it unset by default", () => {
        assert.equal(settings({ "hyperv:host": "ssh://svc@hv01", "hyperv:endpoint": "installed" })().endpoint, "installed");
        assert.equal(settings({ "hyperv:host": "winrm://hv01", "hyperv:endpoint": "installed" })().endpoint, "installed");
        assert.equal(settings({ "hyperv:host": "ssh://svc@hv01" })().endpoint, undefined);
    });

    it("refuses a value that is no mode, naming both", () => {
        assert.throws(
            settings({ "hyperv:host": "ssh://svc@hv01", "hyperv:endpoint": "restricted" }),
            /invalid stack configuration hyperv:endpoint: must be "uploaded".*or "installed"/,
        );
    });

    it("refuses installed on a host that is not remote, saying why", () => {
        assert.throws(
            settings({ "hyperv:host": "local", "hyperv:endpoint": "installed" }),
            /hyperv:endpoint: installed is a restricted endpoint on a remote host/,
        );
    });
});

describe("stack configuration: hyperv:nodes names a cluster's nodes", () => {
    it("reads the list Pulumi writes for --path items, and one comma-separated line", () => {
        const nodes = [
            { kind: "ssh", host: "hv01", user: "svc" },
            { kind: "ssh", host: "hv02", user: "svc" },
        ];
        assert.deepEqual(settings({ "hyperv:nodes": '["ssh://svc@hv01","ssh://svc@hv02"]' })().nodes, nodes);
        assert.deepEqual(settings({ "hyperv:nodes": "ssh://svc@hv01, ssh://svc@hv02" })().nodes, nodes);
    });

    it("refuses a node that is no remote address, hyperv:host beside it, and a list that is not one, naming the key and the fix", () => {
        assert.throws(
            settings({ "hyperv:nodes": "lab:.x" }),
            /invalid stack configuration hyperv:nodes: "lab:.x" is not a remote node: list ssh:\/\/ or winrm:\/\/ addresses/,
        );
        assert.throws(
            settings({ "hyperv:nodes": "ssh://hv01", "hyperv:host": "local" }),
            /hyperv:nodes: a stack addresses one host or one cluster: remove hyperv:host/,
        );
        assert.throws(settings({ "hyperv:nodes": "[ssh://hv01" }), /hyperv:nodes: is not a JSON list/);
        assert.throws(settings({ "hyperv:nodes": "ssh://hv01,nowhere at all" }), /hyperv:nodes: "nowhere at all" is not a host address/);
    });

    it("waits 120 s for a migration by default, and reads hyperv:migrationWaitSeconds", () => {
        assert.equal(settings({})().migrationWaitSeconds, 120);
        assert.equal(settings({ "hyperv:migrationWaitSeconds": "5" })().migrationWaitSeconds, 5);
        assert.throws(settings({ "hyperv:migrationWaitSeconds": "soon" }), /hyperv:migrationWaitSeconds: must be a number of seconds/);
    });

    it("hyperv:discoverNodes true asks the cluster for the rest of the nodes; it needs a node to ask and a yes or no", () => {
        assert.equal(settings({ "hyperv:nodes": "ssh://svc@hv01", "hyperv:discoverNodes": "true" })().discoverNodes, true);
        assert.equal(settings({ "hyperv:nodes": "ssh://svc@hv01", "hyperv:discoverNodes": "False" })().discoverNodes, false);
        assert.equal(settings({ "hyperv:nodes": "ssh://svc@hv01" })().discoverNodes, undefined);
        assert.throws(
            settings({ "hyperv:nodes": "ssh://svc@hv01", "hyperv:discoverNodes": "yes" }),
            /invalid stack configuration hyperv:discoverNodes: must be true .* or false/,
        );
        assert.throws(settings({ "hyperv:discoverNodes": "true" }), /invalid stack configuration hyperv:discoverNodes: .*list one .*hyperv:nodes\[0\]/);
        assert.throws(settings({ "hyperv:host": "lab:.x", "hyperv:discoverNodes": "true" }), /hyperv:discoverNodes: .*hyperv:nodes/);
    });
});

describe("a cluster named by its nodes (hyperv:nodes)", () => {
    it("keeps nodes apart that share a host and differ by port (nodes behind port forwards)", async () => {
        const config = settings({ "hyperv:nodes": "ssh://svc@127.0.0.1:2201,ssh://svc@127.0.0.1:2202,ssh://svc@hv03" })();
        const cluster = openAdapter({ kind: "nodes", nodes: config.nodes ?? [] }, config);
        try {
            assert.equal(cluster.displayName, "cluster 127.0.0.1:2201,127.0.0.1:2202,hv03 (127.0.0.1:2201, 127.0.0.1:2202, hv03)");
        } finally {
            await cluster.dispose();
        }
    });
});
