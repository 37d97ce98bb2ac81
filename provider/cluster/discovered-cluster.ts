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
import type { ClusterHost } from "./cluster-host";

/**
 * A cluster whose nodes are asked of the cluster itself (hyperv:discoverNodes): the first
 * operation discovers them (one question to a listed node, connect.ts), and every operation then
 * runs on the cluster host made of them. A discovery that fails is asked again by the next
 * operation, so a node that was down at the first one does not fail the rest of the run.
 */
export class DiscoveredCluster implements HyperVHost {
    readonly displayName: string;
    private opened: Promise<ClusterHost> | null = null;

    constructor(
        seeds: readonly string[],
        private readonly discover: () => Promise<ClusterHost>,
    ) {
        this.displayName = `cluster discovered from ${seeds.join(", ")}`;
    }

    private cluster(): Promise<ClusterHost> {
        this.opened ??= this.discover().catch((e: unknown) => {
            this.opened = null;
            throw e;
        });
        return this.opened;
    }

    async capabilities(): Promise<HostCapabilities> {
        return (await this.cluster()).capabilities();
    }

    async getVm(ref: VmRef, options?: VmReadOptions): Promise<Vm> {
        return (await this.cluster()).getVm(ref, options);
    }

    async getVmWithCheckpoints(ref: VmRef): Promise<VmWithCheckpoints> {
        return (await this.cluster()).getVmWithCheckpoints(ref);
    }

    async applyCheckpointSettings(ref: VmRef, desired: DesiredCheckpointSettings): Promise<AppliedCheckpointSettings> {
        return (await this.cluster()).applyCheckpointSettings(ref, desired);
    }

    async takeCheckpoint(ref: VmRef, request: TakeCheckpointRequest): Promise<TakenCheckpoint> {
        return (await this.cluster()).takeCheckpoint(ref, request);
    }

    async applyCheckpoint(vmId: string, checkpointId: string, options?: { start?: boolean }): Promise<Vm> {
        return (await this.cluster()).applyCheckpoint(vmId, checkpointId, options);
    }

    async renameCheckpoint(vmId: string, checkpointId: string, newName: string): Promise<Checkpoint> {
        return (await this.cluster()).renameCheckpoint(vmId, checkpointId, newName);
    }

    async removeCheckpoint(vmId: string, checkpointId: string): Promise<CheckpointRemoval> {
        return (await this.cluster()).removeCheckpoint(vmId, checkpointId);
    }

    async startVm(vmId: string): Promise<Vm> {
        return (await this.cluster()).startVm(vmId);
    }

    async suspendVm(vmId: string): Promise<Vm> {
        return (await this.cluster()).suspendVm(vmId);
    }

    async resumeVm(vmId: string): Promise<Vm> {
        return (await this.cluster()).resumeVm(vmId);
    }

    async dispose(): Promise<void> {
        const opened = this.opened;
        this.opened = null;
        if (opened) await (await opened.catch(() => null))?.dispose();
    }
}
