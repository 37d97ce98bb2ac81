import type { LabLanguage } from "./document";

/**
 * What a localised Hyper-V host says. Real hosts translate error messages and integration-service
 * names, which is why the provider matches errors by FullyQualifiedErrorId and services by id;
 * a Japanese lab lets tests prove it.
 */
const messages = {
    vmNotFound: {
        "en-US": 'Hyper-V was unable to find a virtual machine with name "{name}".',
        "ja-JP": 'Hyper-V は名前が "{name}" の仮想マシンを見つけることができませんでした。',
    },
    vmIdNotFound: {
        "en-US": 'Hyper-V was unable to find a virtual machine with ID "{id}".',
        "ja-JP": 'Hyper-V は ID が "{id}" の仮想マシンを見つけることができませんでした。',
    },
    ambiguousVmName: {
        "en-US": 'Several virtual machines are named "{name}": {ids}.',
        "ja-JP": '"{name}" という名前の仮想マシンが複数あります: {ids}。',
    },
    checkpointNotFound: {
        "en-US": "Unable to find a snapshot matching the given criteria.",
        "ja-JP": "指定された条件に一致するスナップショットが見つかりません。",
    },
    checkpointsDisabled: {
        "en-US": "Checkpoint operation failed. Checkpoints have been disabled.",
        "ja-JP": "チェックポイント操作に失敗しました。チェックポイントは無効になっています。",
    },
    productionUnavailable: {
        "en-US": "Checkpoint operation failed. Production checkpoints cannot be created ({reason}).",
        "ja-JP": "チェックポイント操作に失敗しました。運用チェックポイントを作成できません ({reason})。",
    },
    invalidState: {
        "en-US": "The operation cannot be performed while the virtual machine is in its current state ({state}).",
        "ja-JP": "仮想マシンの現在の状態 ({state}) では、この操作を実行できません。",
    },
    operationInProgress: {
        "en-US": "The operation cannot be performed while the virtual machine is in its current state: another operation is in progress.",
        "ja-JP": "仮想マシンの現在の状態では、この操作を実行できません。別の操作が実行中です。",
    },
    checkpointLimit: {
        "en-US": "Checkpoint operation failed. The virtual machine already has {max} checkpoints, the maximum.",
        "ja-JP": "チェックポイント操作に失敗しました。仮想マシンのチェックポイントは既に上限の {max} 個です。",
    },
    fileLocationLocked: {
        "en-US": "The checkpoint file location cannot be changed while the virtual machine has checkpoints ({count}).",
        "ja-JP": "仮想マシンにチェックポイント ({count} 個) がある間は、チェックポイント ファイルの場所を変更できません。",
    },
    parameterNotFound: {
        "en-US": "A parameter cannot be found that matches parameter name '{parameter}'.",
        "ja-JP": "パラメーター名 '{parameter}' に一致するパラメーターが見つかりません。",
    },
    invalidCheckpointName: {
        "en-US": "A checkpoint name must be 1 to {max} characters long; this one has {length}.",
        "ja-JP": "チェックポイント名は 1 ～ {max} 文字で指定してください (指定された名前は {length} 文字です)。",
    },
    invalidPath: {
        "en-US": 'The path "{path}" is not an absolute path on the host.',
        "ja-JP": 'パス "{path}" はホスト上の絶対パスではありません。',
    },
    insufficientSpace: {
        "en-US": "There is not enough space on the disk: volume {volume} has {free} bytes free and the operation needs {needed}.",
        "ja-JP": "ディスクに十分な空き領域がありません: ボリューム {volume} の空き領域は {free} バイトで、操作には {needed} バイト必要です。",
    },
    mergeFailed: {
        "en-US":
            "The merge of the checkpoint's differencing disk failed: there is not enough space on volume {volume} ({free} bytes free, the merge needs {needed}).",
        "ja-JP":
            "チェックポイントの差分ディスクのマージに失敗しました: ボリューム {volume} の空き領域が不足しています (空き {free} バイト、マージには {needed} バイト必要です)。",
    },
    noBackupService: {
        "en-US": 'The virtual machine has no "{service}" integration service.',
        "ja-JP": '仮想マシンに "{service}" 統合サービスがありません。',
    },
} satisfies Record<string, Record<LabLanguage, string>>;

export type MessageKey = keyof typeof messages;

export function message(language: LabLanguage, key: MessageKey, params: Record<string, string | number> = {}): string {
    return messages[key][language].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The id of the backup (volume shadow copy) integration service ends in this GUID on every host. */
export const BACKUP_SERVICE_GUID = "5CED1297-4598-4915-A5FC-AD21BB4D02A4";

/** Integration services by the GUID their id ends in, with their names as each language shows them. */
export const integrationServiceNames: Record<string, Record<LabLanguage, string>> = {
    "84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47": { "en-US": "Heartbeat", "ja-JP": "ハートビート" },
    "2A34B1C2-FD73-4043-8A5B-DD2159BC743F": { "en-US": "Key-Value Pair Exchange", "ja-JP": "キー値ペア交換" },
    "9F8233AC-BE49-4C79-8EE3-E7E1985B2077": { "en-US": "Shutdown", "ja-JP": "オペレーティング システムのシャットダウン" },
    "2497F4DE-E9FA-4204-80E4-4B75C46419C0": { "en-US": "Time Synchronization", "ja-JP": "時刻の同期" },
    "6C09BB55-D683-4DA0-8931-C9BF705F6480": { "en-US": "Guest Service Interface", "ja-JP": "ゲスト サービス インターフェイス" },
    [BACKUP_SERVICE_GUID]: { "en-US": "Backup (volume shadow copy)", "ja-JP": "バックアップ (ボリューム チェックポイント)" },
};

export function integrationServiceName(language: LabLanguage, serviceId: string): string {
    const guid = serviceId.slice(serviceId.lastIndexOf("\\") + 1).toUpperCase();
    return integrationServiceNames[guid]?.[language] ?? serviceId;
}
