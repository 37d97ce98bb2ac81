import { LAB_EVENT_LOG_LENGTH, type LabDocument, type LabEvent, type LabVm } from "./document";

/**
 * Records a checkpoint or power operation in the host's event log (see LabEvent). It lives in the
 * host's record, bounded, so a mutation still writes only the host and the one VM it is about.
 */
export function recordEvent(doc: LabDocument, operation: LabEvent["operation"], vm: LabVm, checkpointId?: string): void {
    const events = doc.host.events;
    events.push({ at: new Date().toISOString(), operation, vmId: vm.id, vmName: vm.name, ...(checkpointId !== undefined ? { checkpointId } : {}) });
    if (events.length > LAB_EVENT_LOG_LENGTH) events.splice(0, events.length - LAB_EVENT_LOG_LENGTH);
}
