import { LAB_JOURNAL_LENGTH, type LabDocument, type LabJournalEntry, type LabVm } from "./document";

/** Records an operation on a VM in the lab's journal (see LabJournalEntry). */
export function journal(doc: LabDocument, operation: LabJournalEntry["operation"], vm: LabVm, checkpointId?: string): void {
    doc.journal.push({ at: new Date().toISOString(), operation, vmId: vm.id, vmName: vm.name, ...(checkpointId !== undefined ? { checkpointId } : {}) });
    if (doc.journal.length > LAB_JOURNAL_LENGTH) doc.journal.splice(0, doc.journal.length - LAB_JOURNAL_LENGTH);
}
