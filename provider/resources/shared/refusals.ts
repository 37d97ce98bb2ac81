import { HostError, isHostError, type HostCapabilities, type HostErrorCode, type HyperVHost, type VmRef, type VmWithCheckpoints } from "../../host";

/** What hosts refuse before changing anything. */
const refusals: readonly HostErrorCode[] = [
    "CheckpointLimit",
    "CheckpointsDisabled",
    "InvalidVmState",
    "UnsupportedByHost",
    "ProductionUnavailable",
    "FileLocationLocked",
    "BackupServiceMissing",
];

/**
 * A host's refusal, explained in the declaration's terms (the field, the checkpoints in the way)
 * by `explain` on a fresh listing of the VM. The host's words are Hyper-V's and may be
 * translated; ours name the resource's fields. Only a refused call pays for this second read:
 * every operation that goes through stays one round trip. When the VM no longer shows the reason
 * (it changed meanwhile), the host's refusal stands.
 */
export async function explainRefusal(
    host: HyperVHost,
    vm: VmRef,
    refusal: unknown,
    explain: (listing: VmWithCheckpoints, caps: HostCapabilities) => void,
): Promise<unknown> {
    if (!isHostError(refusal) || !refusals.includes(refusal.code)) return refusal;
    try {
        explain(await host.getVmWithCheckpoints(vm), await host.capabilities());
    } catch (e) {
        // Our words go first; the host's refusal stays attached as the cause, for whoever debugs it.
        if (isHostError(e, refusal.code)) return new HostError(e.code, e.detail, e.context, { hint: e.hint, cause: refusal });
    }
    return refusal;
}
