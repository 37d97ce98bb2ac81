import type {
    Checkpoint,
    CheckpointSettingsChange,
    HostCapabilities,
    TakeCheckpointRequest,
    TakenCheckpoint,
    Vm,
    VmRef,
    VmWithCheckpoints,
} from "./model";

/**
 * A Hyper-V host, in the domain's terms. Resources talk only to this; the simulated lab host and
 * the PowerShell host implement it. Every method throws HostError (./errors) on failure.
 *
 * Mutations are by VM id and checkpoint id: names are not unique on Hyper-V.
 */
export interface HyperVHost {
    /** How the host is named in messages (the lab folder, "localhost", or the remote address). */
    readonly displayName: string;

    /** What the host's Hyper-V can do; read once per session. */
    capabilities(): Promise<HostCapabilities>;

    /** Resolves a VM by id or name; an ambiguous name is an AmbiguousVmName error listing the ids. */
    getVm(ref: VmRef): Promise<Vm>;

    /** A VM with all its checkpoints, in one read. */
    getVmWithCheckpoints(ref: VmRef): Promise<VmWithCheckpoints>;

    /** Changes only the given settings and returns the VM as it is afterwards. */
    setCheckpointSettings(vmId: string, change: CheckpointSettingsChange): Promise<Vm>;

    /** Enables the backup (volume shadow copy) integration service. */
    enableBackupIntegration(vmId: string): Promise<Vm>;

    /** All checkpoints of a VM (every SnapshotType), oldest first. */
    listCheckpoints(vmId: string): Promise<Checkpoint[]>;

    /** One checkpoint by id; CheckpointNotFound when it is gone. */
    getCheckpoint(vmId: string, checkpointId: string): Promise<Checkpoint>;

    /** Takes a checkpoint and reports what kind Hyper-V actually made. */
    takeCheckpoint(vmId: string, request: TakeCheckpointRequest): Promise<TakenCheckpoint>;

    /** Applies (restores) a checkpoint; optionally starts the VM afterwards. Returns the VM after. */
    applyCheckpoint(vmId: string, checkpointId: string, options?: { start?: boolean }): Promise<Vm>;

    renameCheckpoint(vmId: string, checkpointId: string, newName: string): Promise<Checkpoint>;

    /** Removes a checkpoint, merging its differencing disks; its children are re-parented. */
    removeCheckpoint(vmId: string, checkpointId: string): Promise<void>;

    /** Releases sessions and processes. */
    dispose(): Promise<void>;
}
