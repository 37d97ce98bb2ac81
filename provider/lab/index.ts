export { LabHost, openLabHost } from "./host";
export { initLab, setHostSettings, type InitLabOptions, type HostSettingsChange } from "./init";
export {
    addVm, setVm, startLabVm, stopLabVm, saveLabVm, suspendLabVm, resumeLabVm,
    takeLabCheckpoint, renameLabCheckpoint, applyLabCheckpoint, removeLabCheckpoint,
    type CheckpointRef, type VmChange, type OperatorCheckpointRequest,
} from "./operator";
export { readLab, documentPath, DOCUMENT_NAME } from "./store";
export { labPathOf } from "./volumes";
export { labDocumentSchema, type LabJournalEntry, type LabDocument, type LabOs, type LabLanguage, type Behaviour } from "./document";
export { integrationServiceName, BACKUP_SERVICE_GUID } from "./messages";
export type { NewVm } from "./vms";
export { inspectLab, type LabView } from "./inspect";
