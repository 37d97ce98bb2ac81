import { isHostError, sameHostPath, type DesiredCheckpointSettings, type HyperVHost, type VmRef, type VmWithCheckpoints } from "../../host";
import { withoutUndefined } from "../../shared/objects";
import { explainRefusal } from "../shared/refusals";
import { vmRefOf } from "../shared/vm-target";
import { asOperation, type PreviewMemory } from "../shared/preview";
import type { WarnOnResource } from "../shared/resource-warnings";
import { policyOutputs } from "./outputs";
import { desiredCheckpointType, desiredSettings, settingsOf } from "./plan";
import { explainRefusedPolicy, needsSharedStorage, refuseLocalStorageOnCluster, refuseUnsupported } from "./refusals";
import { pendingLocationWarning } from "./warnings";
import type { PolicyInputs, PolicyOutputs, PolicySettings } from "./schema";

/**
 * Refuses what the host cannot do, then applies the declaration in one host call, which refuses
 * what Hyper-V would refuse before changing anything and writes only what differs. An update
 * passes the managed VM's id: the diff has established it is the same VM, which may have been
 * renamed since.
 *
 * A new file location on a VM that has checkpoints is deferred once instead of refused: the
 * engine runs updates before deletes, so a program that deletes those checkpoints and moves the
 * location in one `up` would otherwise fail on every `up`. Everything else is applied, the
 * location is recorded as pending with a warning naming the checkpoints, and the next `up`
 * applies it, or, if the checkpoints are still there, refuses with what to do.
 */
export async function applyPolicy(
    host: HyperVHost,
    inputs: PolicyInputs,
    managed?: { priorSettings: PolicySettings; vmId: string; fileLocationPending: string | null },
): Promise<PolicyOutputs> {
    const ref: VmRef = managed ? { id: managed.vmId } : vmRefOf(inputs);
    const caps = await host.capabilities();
    refuseUnsupported(inputs, ref, caps, host.displayName);
    if (needsSharedStorage(inputs, caps)) refuseLocalStorageOnCluster(inputs, await host.getVm(ref), caps, host.displayName);
    const apply = (desired: DesiredCheckpointSettings) => host.applyCheckpointSettings(ref, desired);
    const deferredBefore =
        managed?.fileLocationPending != null && inputs.fileLocation !== undefined && sameHostPath(managed.fileLocationPending, inputs.fileLocation);
    let pending: string | null = null;
    const applied = await apply(desiredSettings(inputs)).catch(async (refusal: unknown) => {
        if (isHostError(refusal, "FileLocationLocked") && inputs.fileLocation !== undefined && !deferredBefore) {
            pending = inputs.fileLocation;
            return apply({ ...desiredSettings(inputs), fileLocationWhileCheckpointed: "keep" });
        }
        throw await explainRefusal(host, ref, refusal, ({ vm, checkpoints }) =>
            explainRefusedPolicy(inputs, vm, checkpoints, host.displayName, deferredBefore),
        );
    });
    const outputs = policyOutputs(inputs, applied.after, managed?.priorSettings ?? settingsOf(applied.before), applied.storage);
    if (pending === null) return outputs;
    const { checkpoints } = await host.getVmWithCheckpoints({ id: applied.after.id });
    return { ...outputs, fileLocationPending: pending, warning: pendingLocationWarning(applied.after.checkpointFileLocation, pending, checkpoints) };
}

/** The live settings; undefined when the VM is gone (the engine then drops the resource). */
export async function readPolicy(host: HyperVHost, olds: PolicyOutputs): Promise<PolicyOutputs | undefined> {
    try {
        const { vm, storage } = await host.getVmWithCheckpoints({ id: olds.vmId });
        const declared = declaredInputs(olds);
        // A deferred file location stays pending until the VM has it (applyPolicy).
        const pending =
            olds.fileLocationPending !== null && !sameHostPath(olds.fileLocationPending, vm.checkpointFileLocation) ? olds.fileLocationPending : null;
        return { ...policyOutputs(declared, vm, olds.priorSettings, storage), fileLocationPending: pending, warning: pending === null ? null : olds.warning };
    } catch (e) {
        if (isHostError(e, "VmNotFound")) return undefined;
        throw e;
    }
}

/**
 * The declaration as the host now has it: each managed field as found live, so that after a
 * refresh the engine's diff of these inputs against the program names the property that drifted
 * (`~ type: "standard" => "production"`). Fields the declaration leaves alone stay as declared.
 */
export function liveDeclaration(olds: PolicyOutputs): PolicyInputs {
    const declared = declaredInputs(olds);
    const live: Record<string, unknown> = { ...declared };
    const type = olds.checkpointType;
    if (type !== null && (declared.type !== undefined || declared.disabled !== undefined)) {
        if (type === "Disabled") {
            live.disabled = true;
        } else {
            if (declared.disabled !== undefined) live.disabled = false;
            if (declared.type !== undefined) {
                live.type = type === "Standard" ? "standard" : "production";
                delete live.fallbackToStandard;
                if (type !== "Standard" && declared.fallbackToStandard !== undefined) live.fallbackToStandard = type === "Production";
            }
        }
    }
    if (declared.fileLocation !== undefined && !sameHostPath(declared.fileLocation, olds.checkpointFileLocation))
        live.fileLocation = olds.checkpointFileLocation;
    if (declared.automaticCheckpoints !== undefined && olds.automaticCheckpointsEnabled !== null) live.automaticCheckpoints = olds.automaticCheckpointsEnabled;
    if (declared.ensureBackupIntegration === true && olds.backupIntegrationEnabled === false) live.ensureBackupIntegration = false;
    return live as PolicyInputs;
}

/** The declaration stored in the outputs, as inputs again. */
export function declaredInputs(olds: PolicyOutputs): PolicyInputs {
    const {
        type,
        fallbackToStandard,
        disabled,
        fileLocation,
        automaticCheckpoints,
        ensureBackupIntegration,
        minFreeSpace,
        maxChainDepth,
        allowLocalFileLocation,
        host,
        resourceUrn,
    } = olds;
    const target = olds.vmNameDeclared !== undefined ? { vmName: olds.vmNameDeclared } : { vmId: olds.vmId };
    const all = {
        ...target,
        host,
        type,
        fallbackToStandard,
        disabled,
        fileLocation,
        automaticCheckpoints,
        ensureBackupIntegration,
        minFreeSpace,
        maxChainDepth,
        allowLocalFileLocation,
        resourceUrn,
    };
    return withoutUndefined(all) as PolicyInputs;
}

/**
 * Puts back what the VM had before the resource took over, for the fields it managed. The file
 * location only while the VM has no checkpoints (Hyper-V's rule); the backup integration service
 * stays enabled, since turning it off could break the host's backups. Returns what it could not
 * restore. One host call, none when the resource managed nothing it could put back. A VM that is
 * already gone is success.
 */
export async function restorePolicy(host: HyperVHost, olds: PolicyOutputs): Promise<string[]> {
    const prior = olds.priorSettings;
    const desired: DesiredCheckpointSettings = { fileLocationWhileCheckpointed: "keep" };
    const managedType = olds.type !== undefined || olds.disabled !== undefined;
    if (managedType && prior.checkpointType !== null) desired.checkpointType = prior.checkpointType;
    if (olds.automaticCheckpoints !== undefined && prior.automaticCheckpoints !== null) desired.automaticCheckpointsEnabled = prior.automaticCheckpoints;
    if (olds.fileLocation !== undefined) desired.checkpointFileLocation = prior.fileLocation;
    if (Object.keys(desired).length === 1) return [];
    const vm = { id: olds.vmId };
    try {
        const { after, checkpointCount } = await host.applyCheckpointSettings(vm, desired);
        if (olds.fileLocation !== undefined && !sameHostPath(prior.fileLocation, after.checkpointFileLocation)) {
            // Only this rare path pays for a second read: the warning names the checkpoints in the way.
            const { checkpoints } = await host.getVmWithCheckpoints(vm);
            const names =
                checkpoints
                    .slice(0, 5)
                    .map((c) => `"${c.name}"`)
                    .join(", ") + (checkpoints.length > 5 ? ` and ${checkpoints.length - 5} more` : "");
            return [
                `fileLocation stays ${after.checkpointFileLocation} (was ${prior.fileLocation}): Hyper-V moves it only while a VM has no checkpoints, ` +
                    `and this VM has ${checkpointCount}: ${names}. Everything else was put back. To put it back too, remove those checkpoints, then run ` +
                    `\`Set-VM -Id ${olds.vmId} -SnapshotFileLocation '${prior.fileLocation.replace(/'/g, "''")}'\` on the host`,
            ];
        }
        return [];
    } catch (e) {
        if (isHostError(e, "VmNotFound")) return [];
        throw e;
    }
}

/**
 * Preview's prediction (see shared/preview): fails with the error `up` would give for what is
 * certain, from one shared read of the VM and the functions `up` explains its refusals with: a VM
 * that does not exist or whose name is ambiguous (creates only: an update targets the VM it
 * manages, by id), a field the host does not have, production-only on a VM that can never make
 * production checkpoints, a backup service the VM does not have. A file location that cannot move
 * yet only warns, with the words `up` uses when it defers it. Records the type the policy declares,
 * for the checkpoints of the VM that follow in this preview. Changes nothing.
 */
export async function predictPolicy(
    host: HyperVHost,
    preview: PreviewMemory,
    inputs: PolicyInputs,
    update: boolean,
    warnOnResource: WarnOnResource,
): Promise<void> {
    const ref = vmRefOf(inputs);
    const operation = "apply checkpoint settings";
    const caps = await host.capabilities();
    refuseUnsupported(inputs, ref, caps, host.displayName);
    let listing: VmWithCheckpoints;
    try {
        listing = await preview.read(host, ref);
    } catch (e) {
        if (update && (isHostError(e, "VmNotFound") || isHostError(e, "AmbiguousVmName"))) return;
        throw asOperation(e, ref, operation);
    }
    const { vm, checkpoints } = listing;
    refuseLocalStorageOnCluster(inputs, vm, caps, host.displayName);
    try {
        explainRefusedPolicy(inputs, vm, checkpoints, host.displayName);
    } catch (e) {
        if (!isHostError(e, "FileLocationLocked") || inputs.fileLocation === undefined) throw e;
        await warnOnResource(
            inputs.resourceUrn,
            `VM "${vm.name}" (${vm.id}): ${pendingLocationWarning(vm.checkpointFileLocation, inputs.fileLocation, checkpoints)}`,
        );
    }
    preview.declarePolicy(host, vm.id, desiredCheckpointType(inputs, vm.checkpointType), inputs.resourceUrn);
}
