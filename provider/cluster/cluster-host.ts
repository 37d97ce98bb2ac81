import { HostError, isHostError, type ErrorContext } from "../host/errors";
import type {
    AppliedCheckpointSettings,
    Checkpoint,
    CheckpointRemoval,
    DesiredCheckpointSettings,
    HostCapabilities,
    TakeCheckpointRequest,
    TakenCheckpoint,
    Vm,
    VmReadOptions,
    VmRef,
    VmWithCheckpoints,
} from "../host/model";
import type { HyperVHost } from "../host/port";
import type { ClusterDirectory, Whereabouts } from "./directory";

/*
 * A failover cluster behind the one HyperVHost port: resources talk to it as to any host, and it
 * runs each operation on the node that owns the VM, each node through its own host (its own
 * sessions and maxSessions: no second hop, a session on one node never acts on another).
 *
 * Moves (README.md, "Clusters"):
 * - The owner is asked of the cluster's directory before each mutation, and a read that finds the
 *   VM gone from its node asks again: a VM that moved between two `up`s is simply found.
 * - A node refuses an operation on a VM it does not own (VmNotFound) or that is mid-migration
 *   (InvalidVmState) before changing anything, so the operation is run again where the VM is now
 *   and never twice. An operation that started holds the VM: Hyper-V migrates it only afterwards.
 * - A VM mid-migration is waited for, up to `migrationWaitSeconds`, then refused naming both nodes.
 * - A VM on a node that is down and was not failed over is refused naming the node.
 */
export interface ClusterHostOptions {
    /** The cluster's name, for messages. */
    name: string;
    /** Each node's own host, by node name. */
    nodes: ReadonlyMap<string, HyperVHost>;
    directory: ClusterDirectory;
    /** How long an operation waits for a migration of its VM to land. */
    migrationWaitSeconds: number;
    /** How often the directory is asked while waiting (ms). */
    pollMs?: number;
}

/** How many times a VM that no node holds is looked for again before it is called gone. */
const NOT_FOUND_RECHECKS = 2;

export class ClusterHost implements HyperVHost {
    readonly displayName: string;
    private readonly owners = new Map<string, string>();

    constructor(readonly options: ClusterHostOptions) {
        this.displayName = `cluster ${options.name} (${[...options.nodes.keys()].join(", ")})`;
    }

    /** Every node runs the same Windows Server release (a cluster's requirement): the first that answers speaks for them. */
    async capabilities(): Promise<HostCapabilities> {
        let last: unknown;
        for (const host of this.options.nodes.values()) {
            try {
                return { ...(await host.capabilities()), cluster: this.options.name };
            } catch (e) {
                if (!isHostError(e, "HostUnreachable") && !isHostError(e, "HostTimeout")) throw e;
                last = e;
            }
        }
        throw last;
    }

    getVm(ref: VmRef, options?: VmReadOptions): Promise<Vm> {
        return this.read(ref, "get VM", (host, id) => host.getVm(id, options));
    }

    getVmWithCheckpoints(ref: VmRef): Promise<VmWithCheckpoints> {
        return this.read(ref, "get VM", (host, id) => host.getVmWithCheckpoints(id));
    }

    applyCheckpointSettings(ref: VmRef, desired: DesiredCheckpointSettings): Promise<AppliedCheckpointSettings> {
        return this.mutate(ref, "apply checkpoint settings", (host, id) => host.applyCheckpointSettings(id, desired));
    }

    takeCheckpoint(ref: VmRef, request: TakeCheckpointRequest): Promise<TakenCheckpoint> {
        return this.mutate(ref, "take checkpoint", (host, id) => host.takeCheckpoint(id, request));
    }

    applyCheckpoint(vmId: string, checkpointId: string, options?: { start?: boolean }): Promise<Vm> {
        return this.mutate({ id: vmId }, "apply checkpoint", (host, id) => host.applyCheckpoint(id.id, checkpointId, options));
    }

    renameCheckpoint(vmId: string, checkpointId: string, newName: string): Promise<Checkpoint> {
        return this.mutate({ id: vmId }, "rename checkpoint", (host, id) => host.renameCheckpoint(id.id, checkpointId, newName));
    }

    removeCheckpoint(vmId: string, checkpointId: string): Promise<CheckpointRemoval> {
        return this.mutate({ id: vmId }, "remove checkpoint", (host, id) => host.removeCheckpoint(id.id, checkpointId));
    }

    startVm(vmId: string): Promise<Vm> {
        return this.mutate({ id: vmId }, "start VM", (host, id) => host.startVm(id.id));
    }

    suspendVm(vmId: string): Promise<Vm> {
        return this.mutate({ id: vmId }, "suspend VM", (host, id) => host.suspendVm(id.id));
    }

    resumeVm(vmId: string): Promise<Vm> {
        return this.mutate({ id: vmId }, "resume VM", (host, id) => host.resumeVm(id.id));
    }

    async dispose(): Promise<void> {
        await Promise.allSettled([...this.options.nodes.values()].map((h) => h.dispose()));
    }

    /**
     * A read goes to the node last seen owning the VM; a VM gone from there, or whose node no longer
     * answers (it may have failed over), is looked for again.
     */
    private async read<T>(ref: VmRef, operation: string, run: (host: HyperVHost, id: { id: string }) => Promise<T>): Promise<T> {
        const id = await this.idOf(ref, operation);
        const cached = this.owners.get(id);
        if (cached !== undefined) {
            try {
                return await run(this.node(cached), { id });
            } catch (e) {
                if (!isHostError(e, "VmNotFound") && !isHostError(e, "HostUnreachable") && !isHostError(e, "HostTimeout")) throw e;
                this.owners.delete(id);
            }
        }
        const node = await this.ownerFor(id, ref, operation, undefined);
        return run(this.node(node), { id });
    }

    /**
     * A mutation runs where the directory says the VM is now; a node's refusal that proves nothing
     * changed (the VM left it, or is migrating) sends it on to the VM's next owner.
     */
    private async mutate<T>(ref: VmRef, operation: string, run: (host: HyperVHost, id: { id: string }) => Promise<T>): Promise<T> {
        const id = await this.idOf(ref, operation);
        const deadline = Date.now() + this.options.migrationWaitSeconds * 1000;
        const waited = { migration: false };
        for (;;) {
            const node = await this.ownerFor(id, ref, operation, deadline, waited);
            try {
                return await run(this.node(node), { id });
            } catch (e) {
                if (!(isHostError(e, "VmNotFound") || isHostError(e, "InvalidVmState"))) throw this.named(e, node);
                const now = await this.options.directory.locate(id);
                const moved = now !== undefined && (now.owner !== node || now.migration !== null);
                // A VM that has just landed may still be held by the move's last step for an instant: a
                // refusal before anything changed, so the operation is asked again within the wait's bound.
                const landing = waited.migration && isHostError(e, "InvalidVmState") && Date.now() < deadline;
                if (!moved && !landing) throw e;
                if (landing && !moved) await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 250));
                this.owners.delete(id);
            }
        }
    }

    /**
     * The VM's owner; refused when its node is down. A mutation (with a `deadline`) waits out a
     * migration until then; a read is answered by the source, which owns the VM until it lands.
     */
    private async ownerFor(id: string, ref: VmRef, operation: string, deadline: number | undefined, waited?: { migration: boolean }): Promise<string> {
        let unseen = 0;
        for (;;) {
            const where = await this.options.directory.locate(id);
            if (!where) {
                // Nodes asked side by side can all miss a VM whose migration switched over between their
                // answers (the destination answered just before, the source just after): ask again before
                // calling it gone.
                if (++unseen > NOT_FOUND_RECHECKS) throw this.notFound(id, ref, operation);
                await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 250));
                continue;
            }
            if (where.migration === null || deadline === undefined) return this.usable(id, where, operation);
            if (waited) waited.migration = true;
            if (Date.now() >= deadline) {
                throw new HostError(
                    "InvalidVmState",
                    `the VM is being migrated from ${where.migration.from} to ${where.migration.to} and did not finish within ${this.options.migrationWaitSeconds} s`,
                    this.context(operation, id, ref),
                    {
                        hint: `wait for the migration to land (Get-ClusterGroup shows its state), then run \`pulumi up\` again; or raise hyperv:migrationWaitSeconds`,
                    },
                );
            }
            await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 250));
        }
    }

    private usable(id: string, where: Whereabouts, operation: string): string {
        if (!where.ownerUp) {
            throw new HostError(
                "HostUnreachable",
                `the VM is on cluster node ${where.owner}, which does not answer, and the cluster has not failed it over`,
                { host: `${this.displayName} node ${where.owner}`, vmId: id, operation },
                { hint: `bring ${where.owner} back, or fail the VM over to another node (Move-ClusterVirtualMachineRole), then run \`pulumi up\` again` },
            );
        }
        this.owners.set(id, where.owner);
        return where.owner;
    }

    /** A VM named by name: every node is asked side by side, since names are per node and repeat. */
    private async idOf(ref: VmRef, operation: string): Promise<string> {
        if ("id" in ref) return ref.id.toLowerCase();
        const listed = await this.options.directory.locateByName?.(ref.name);
        if (listed?.length === 1) return listed[0]!.vmId;
        const found = await Promise.all(
            [...this.options.nodes].map(async ([node, host]) => {
                try {
                    return { node, vm: await host.getVm(ref), unreachable: false };
                } catch (e) {
                    if (isHostError(e, "VmNotFound")) return { node, vm: undefined, unreachable: false };
                    if (isHostError(e, "AmbiguousVmName")) throw this.named(e, node);
                    if (isHostError(e, "HostUnreachable") || isHostError(e, "HostTimeout")) return { node, vm: undefined, unreachable: true };
                    throw e;
                }
            }),
        );
        const vms = found.flatMap((f) => (f.vm ? [{ node: f.node, vm: f.vm }] : []));
        const ids = [...new Set(vms.map((f) => f.vm.id))];
        if (ids.length > 1) {
            throw new HostError(
                "AmbiguousVmName",
                `${ids.length} VMs of the cluster are named "${ref.name}": ${vms.map((f) => `${f.vm.id} on ${f.node}`).join(", ")}`,
                { host: this.displayName, vm: ref.name, operation },
            );
        }
        const first = vms[0];
        if (first) {
            this.owners.set(first.vm.id, first.node);
            return first.vm.id;
        }
        const silent = found.filter((f) => f.unreachable).map((f) => f.node);
        throw new HostError(
            silent.length > 0 ? "HostUnreachable" : "VmNotFound",
            `no node of the cluster has a VM named "${ref.name}"${silent.length > 0 ? `; nodes that did not answer: ${silent.join(", ")}` : ""}`,
            { host: this.displayName, vm: ref.name, operation },
        );
    }

    private notFound(id: string, ref: VmRef, operation: string): HostError {
        return new HostError("VmNotFound", `no node of the cluster has a VM with id "${id}"`, this.context(operation, id, ref));
    }

    private context(operation: string, id: string, ref: VmRef): ErrorContext {
        return { host: this.displayName, vmId: id, ...("name" in ref ? { vm: ref.name } : {}), operation };
    }

    /** A node's own failure, with the node named where its host did not say it. */
    private named(e: unknown, node: string): unknown {
        if (!isHostError(e) || e.context.host.includes(node)) return e;
        return new HostError(
            e.code,
            e.detail,
            { ...e.context, host: `${e.context.host} (cluster node ${node})` },
            { hint: e.hint, cause: e, predicted: e.predicted },
        );
    }

    private node(name: string): HyperVHost {
        const host = this.options.nodes.get(name);
        if (!host)
            throw new HostError(
                "HostFailure",
                `the cluster names node ${name}, which this stack has no address for`,
                { host: this.displayName },
                {
                    hint: `add ${name} to hyperv:nodes`,
                },
            );
        return host;
    }
}
