import { readLab, addVm, type InitLabOptions } from "../../provider/lab";
import type { HostErrorCode } from "../../provider/host/errors";
import { freshLab, removeLabs } from "../lab/helpers";
import { ADAPTERS, RealShells, type AdapterKind } from "../powershell/support/real-shells";
import { describePortContract } from "./port-contract";

/*
 * The HyperVHost port contract (port-contract.ts) on every adapter: the lab itself, PowerShell 7 on
 * this machine and PowerShell remoting over SSH to 127.0.0.1, both on the Hyper-V stand-in module
 * whose state and rules are the lab's.
 */

const shells = new RealShells();

describe("the HyperVHost port contract", () => {
    shells.hooks(ADAPTERS, removeLabs);

    for (const kind of ADAPTERS) {
        describe(`on ${describeKind(kind)}`, function () {
            this.timeout(120_000);
            describePortContract({
                async setup(options: InitLabOptions = {}) {
                    const { folder } = await freshLab(options);
                    // Another release is another machine: its own session, which probes the release.
                    const host = shells.host(kind, folder, { fresh: options.os !== undefined });
                    return {
                        folder,
                        host,
                        vm: async (spec = {}) => (await addVm(folder, { name: "web01", state: "Running", ...spec })).id,
                        computerName: readLab(folder).host.computerName,
                    };
                },
                unsupportedOnOldHost: unsupportedOnOldHost(kind),
                olderReleases: true,
            });
        });
    }
});

function describeKind(kind: AdapterKind): string {
    return {
        lab: "the lab",
        "pwsh-local": "PowerShell 7 on this machine",
        "pwsh-ssh": "PowerShell remoting over SSH",
        "pwsh-ssh-restricted": "PowerShell remoting over SSH to the restricted endpoint",
    }[kind];
}

/**
 * Releases before 2019 load the Hyper-V module in PowerShell 7 only through the Windows PowerShell
 * compatibility layer, which breaks `-VM $vm` binding: a PowerShell 7 session refuses such a host
 * up front instead (the real release's Windows PowerShell 5.1 gets UnsupportedByHost, as the lab).
 */
function unsupportedOnOldHost(kind: AdapterKind): HostErrorCode {
    return kind === "lab" ? "UnsupportedByHost" : "UnsupportedShell";
}
