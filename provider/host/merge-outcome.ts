/*
 * Merges that cannot finish, the one owner of their words: a merge that failed after it started
 * (Hyper-V's merge job ends in an error and VMMS logs event 19100), and a removal refused because
 * Hyper-V's disk merging is disabled for the VM (Msvm_DiskMergeSettingData EnabledState 0,
 * "Temporarily disabled", learn.microsoft.com/windows/win32/hyperv_v2/msvm-diskmergesettingdata).
 * The lab raises both from here, the PowerShell removal script's refusal is generated from
 * mergeWords (powershell/scripts/prelude.ts), and the provider's wait for a merge
 * (resources/shared/merge-wait.ts) turns a reported failure into its error.
 */

export const mergeWords = {
    MergeFailed:
        "the background merge of the VM's disks failed{progress}: {reason}; Hyper-V logs it as event 19100 in Microsoft-Windows-Hyper-V-VMMS-Admin, and the removed checkpoint's differencing disk (.avhdx) is not merged into its parent",
    MergeDisabled:
        'disk merging is disabled for this VM (Msvm_DiskMergeSettingData EnabledState 0, "temporarily disabled"): Hyper-V would not merge the checkpoint\'s differencing disk (.avhdx) after its removal, so nothing was removed',
} as const;

/**
 * What a failed merge report says (model.ts's VmMergeFailure), spelled out here so that the words
 * depend on nothing: errors.ts takes its hints from this file.
 */
interface MergeFailureFacts {
    reason: string;
    percentComplete?: number | undefined;
    volume?: string | undefined;
}

/** Why a merge failed, in the words of mergeWords.MergeFailed. */
export function mergeFailedDetail(failure: MergeFailureFacts): string {
    const progress = failure.percentComplete === undefined ? "" : ` at ${failure.percentComplete}%`;
    const reason = failure.volume === undefined ? failure.reason.trim() : `${failure.reason.trim()} on volume ${failure.volume}`;
    return mergeWords.MergeFailed.replace("{progress}", progress).replace("{reason}", reason.replace(/\.+$/, ""));
}

/**
 * What to do after a failed merge. A VM whose volume filled is paused (Paused-Critical) until it is
 * resumed by hand once there is room (Windows Server 2016 and later); Hyper-V tries a failed
 * background merge again, logging 19100 each time it fails (provider/lab/README.md, "Merges").
 */
export function mergeFailedHint(vmName: string, volume?: string): string {
    const where = volume === undefined ? "the volume of the VM's disks" : `volume ${volume}`;
    return (
        `free space on ${where} (remove old checkpoints, move files away); if Get-VM ${vmName} shows the state Paused-Critical, resume it once there is room (Resume-VM ${vmName}); ` +
        `Hyper-V then merges again: run the operation again, and it waits while Get-VM ${vmName} | Select Name, Status shows "Merging disks"`
    );
}

export const mergeDisabledHint =
    "enable disk merging for the VM again (Msvm_VirtualSystemManagementService.ModifyDiskMergeSettings with EnabledState 1; a backup or replication tool that disabled it usually enables it when its job ends), then run the operation again";
