import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LoopbackSshd } from "./loopback-sshd";

/**
 * A failover cluster as three (or n) loopback sshd, each one node: its PowerShell subsystem runs
 * with HYPERV_STANDIN_NODE set to the node's name, so the Hyper-V stand-in answers as that node
 * (its VMs only) and the FailoverClusters stand-in sees the cluster. Every node takes the same
 * client key, and one known_hosts file holds every node's host key, as a stack's one hyperv:keyFile
 * and hyperv:knownHostsFile serve every node of a real cluster.
 *
 * Node names resolve as a cluster's names do on its network through an ssh_config (`Host node1`,
 * HostName 127.0.0.1, the node's port) that an `ssh` on `binDir` reads: a program whose PATH
 * starts with binDir reaches `ssh://user@node2` as it would reach a real node named node2 (what
 * hyperv:discoverNodes does with the names Get-ClusterNode gives).
 */
export class LoopbackCluster {
    readonly dir = mkdtempSync(join(tmpdir(), "hvcp-cluster-"));
    readonly clientKey = join(this.dir, "client_key");
    readonly knownHosts = join(this.dir, "known_hosts");
    readonly binDir = join(this.dir, "bin");
    readonly nodes = new Map<string, LoopbackSshd>();

    constructor(
        private readonly sshd: string,
        private readonly pwsh: string,
        private readonly nodeEnv: (node: string) => Record<string, string>,
        readonly names: readonly string[] = ["node1", "node2", "node3"],
    ) {}

    async start(): Promise<void> {
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", this.clientKey]);
        for (const name of this.names) {
            const node = new LoopbackSshd(this.sshd, this.pwsh, this.nodeEnv(name), this.clientKey);
            await node.start();
            this.nodes.set(name, node);
        }
        writeFileSync(this.knownHosts, [...this.nodes.values()].map((n) => `[127.0.0.1]:${n.port} ${n.hostPublicKey()}\n`).join(""));
        const config = join(this.dir, "ssh_config");
        writeFileSync(config, [...this.nodes].map(([name, n]) => `Host ${name}\n    HostName 127.0.0.1\n    Port ${n.port}\n`).join(""));
        mkdirSync(this.binDir);
        const ssh = execFileSync("sh", ["-c", "command -v ssh"], { encoding: "utf8" }).trim();
        writeFileSync(join(this.binDir, "ssh"), `#!/bin/sh\nexec '${ssh}' -F '${config}' "$@"\n`);
        chmodSync(join(this.binDir, "ssh"), 0o755);
    }

    get user(): string {
        return this.node(this.names[0]!).user;
    }

    node(name: string): LoopbackSshd {
        const node = this.nodes.get(name);
        if (!node) throw new Error(`the loopback cluster has no node ${name}`);
        return node;
    }

    /** The node's address by port, as hyperv:nodes lists it. */
    address(name: string): string {
        return `ssh://${this.user}@127.0.0.1:${this.node(name).port}`;
    }

    /** At process exit: nothing asynchronous runs any more. */
    killNow(): void {
        for (const node of this.nodes.values()) node.killNow();
        rmSync(this.dir, { recursive: true, force: true });
    }
}
