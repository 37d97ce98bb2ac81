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

    /**
     * Resolves a VM by id or name; an ambiguous name is an AmbiguousVmName error listing the ids.
     * Kept beside getVmWithCheckpoints for callers that need the VM alone (the pipeline example's
     * verification): Get-VM without Get-VMSnapshot.
     */
    getVm(ref: VmRef, options?: VmReadOptions): Promise<Vm>;

    /** A VM with all its checkpoints, in one read. */
    getVmWithCheckpoints(ref: VmRef): Promise<VmWithCheckpoints>;

    /**
     * Brings a VM's checkpoint settings to `desired` in one host call (see
     * DesiredCheckpointSettings): refusals come before any change, and only what differs is written.
     */
    applyCheckpointSettings(vm: VmRef, desired: DesiredCheckpointSettings): Promise<AppliedCheckpointSettings>;

    /**
     * Takes a checkpoint in one host call and reports what kind Hyper-V actually made. The host
     * refuses, before anything changes, what Hyper-V refuses: a Disabled policy (never overridden
     * by a temporary type), the 50 limit, a VM in transition, a production-only checkpoint that
     * cannot be made now, a temporary type on a host without types.
     */
    takeCheckpoint(vm: VmRef, request: TakeCheckpointRequest): Promise<TakenCheckpoint>;

    /** Applies (restores) a checkpoint; optionally starts the VM afterwards. Returns the VM after. */
    applyCheckpoint(vmId: string, checkpointId: string, options?: { start?: boolean }): Promise<Vm>;

    renameCheckpoint(vmId: string, checkpointId: string, newName: string): Promise<Checkpoint>;

    /**
     * Removes a checkpoint; its children are re-parented. Hyper-V merges its differencing disks in
     * the background: the result carries that merge's progress when the host reports one, so a
     * removal without a merge to wait for costs one call. A VM whose disk merging is disabled is
     * refused (MergeDisabled) before anything changes: its merge would never come.
     */
    removeCheckpoint(vmId: string, checkpointId: string): Promise<CheckpointRemoval>;

    /** Start-VM; a VM already Running stays as it is. Returns the VM after. */
    startVm(vmId: string): Promise<Vm>;

    /**
     * Suspend-VM: a Running VM is Paused (its memory stays, it runs nothing) until resumeVm. A VM
     * in any other state is refused (InvalidVmState) and stays as it is. Returns the VM after.
     */
    suspendVm(vmId: string): Promise<Vm>;

    /** Resume-VM: a Paused VM runs again; any other state is refused (InvalidVmState). Returns the VM after. */
    resumeVm(vmId: string): Promise<Vm>;

    /** Releases sessions and processes. */
    dispose(): Promise<void>;
}

/** The host a resource talks to: its own `host` override (an address), else the stack's. */
export type HostFor = (override: string | undefined) => HyperVHost;
