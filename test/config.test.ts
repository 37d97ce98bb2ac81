import assert from "node:assert/strict";
import { readHostSettings } from "../provider/config";

function settings(values: Record<string, string>) {
    return () => readHostSettings({ get: (key) => values[key] });
}

describe("stack configuration: credentials that cannot work are refused, naming the key and the fix", () => {
    const refused: [string, Record<string, string>, RegExp][] = [
        ["a WinRM user without a password", { "hyperv:host": "winrm://hv01", "hyperv:user": "CORP\\hvadmin" }, /hyperv:user: a WinRM user needs hyperv:password \(`pulumi config set --secret hyperv:password/],
        ["a WinRM password without a user", { "hyperv:host": "winrm://hv01", "hyperv:password": "pw" }, /hyperv:password: a WinRM password needs hyperv:user/],
        ["a password for SSH, which signs in with a key", { "hyperv:host": "ssh://admin@hv01", "hyperv:password": "pw" }, /hyperv:password: SSH remoting signs in with a key.*hyperv:keyFile/],
    ];
    for (const [what, values, message] of refused) {
        it(`refuses ${what}`, () => {
            assert.throws(settings(values), (e: Error) => message.test(e.message) && !e.message.includes("pw\""));
        });
    }

    it("accepts a WinRM user with a password, and the current Windows user without either", () => {
        assert.equal(settings({ "hyperv:host": "winrm://hv01", "hyperv:user": "u", "hyperv:password": "p" })().user, "u");
        assert.equal(settings({ "hyperv:host": "winrm://hv01" })().user, undefined);
    });

    it("reads an SSH known_hosts file", () => {
        assert.equal(settings({ "hyperv:host": "ssh://admin@hv01", "hyperv:knownHostsFile": "/etc/hvcp/known_hosts" })().knownHostsFile, "/etc/hvcp/known_hosts");
    });
});
