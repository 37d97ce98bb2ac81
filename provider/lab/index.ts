export { LabHost, openLabHost, openLabNode } from "./host";
export {
    beginLabMigration,
    completeLabMigration,
    migrateLabVm,
    stopLabNode,
    startLabNode,
    clusterWhereabouts,
    type VmWhereabouts,
    type MigrationOptions,
} from "./cluster-operator";
export { isSharedStorage, type Failover } from "./cluster";
export { initLab, setHostSettings, type InitLabOptions, type HostSettingsChange } from "./init";
export {
    addVm,
    setVm,
    startLabVm,
    stopLabVm,
    saveLabVm,
    suspendLabVm,
    resumeLabVm,
    takeCheckpointOutOfBand,
    renameLabCheckpoint,
    applyLabCheckpoint,
    removeLabCheckpoint,
    writeToVm,
    queryLab,
    type CheckpointRef,
    type VmChange,
    type OperatorCheckpointRequest,
} from "./operator";
export { readLab, rewriteLab, journalPath, JOURNAL_NAME } from "./store";
export { latencySettingsSchema, realisticLatency, type LatencySettings, type LatencyProfile } from "./latency";
export { labPathOf } from "./volumes";
export { setVolume } from "./volume-settings";
export { labDocumentSchema, type LabEvent, type LabDocument, type LabOs, type LabLanguage, type Behaviour } from "./document";
export { integrationServiceName, BACKUP_SERVICE_GUID } from "./messages";
export type { NewVm } from "./vms";
export { inspectLab, type LabView } from "./inspect";
