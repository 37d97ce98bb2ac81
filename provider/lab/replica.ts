import * as path from "node:path";
import { HostError } from "../host/errors";
import { convertOneDocumentLab, ONE_DOCUMENT_NAME } from "./conversion";
import { LAB_FORMAT, type LabDocument, type LabHostSettings } from "./document";
import { JOURNAL_NAME, readJournal, type Change, type ReaderPosition, type Snapshot, type VmRecord } from "./journal";

/*
 * This process's replica of each lab it reads (see store.ts): it reads only the journal's lines
 * it has not seen, so neither a read nor a mutation of one VM costs more in a fleet of 1,000 than of 10.
 */

/** This process's view of one lab: records frozen, so a mutation can only change its working copy. */
export interface Replica {
    position: ReaderPosition;
    host: LabHostSettings;
    records: Map<string, VmRecord>;
    doc: LabDocument | undefined;
}

const replicas = new Map<string, Replica>();

export function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        for (const v of Object.values(value)) deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}

function replicaOf(snapshot: Snapshot, position: ReaderPosition): Replica {
    return { position, host: deepFreeze(snapshot.host), records: new Map(snapshot.vms.map((r) => [r.vm.id, deepFreeze(r)])), doc: undefined };
}

export function applyChange(replica: Replica, change: Change): void {
    if (change.host) replica.host = deepFreeze(change.host);
    for (const record of change.vms) replica.records.set(record.vm.id, deepFreeze(record));
    for (const id of change.removed ?? []) replica.records.delete(id);
    replica.doc = undefined;
}

/** Brings this process's replica up to date with the journal: reads only what was appended since. */
export function catchUp(labFolder: string): Replica {
    const known = replicas.get(labFolder);
    let read: ReturnType<typeof readJournal>;
    try {
        read = readJournal(labFolder, known?.position);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        if (!convertOneDocumentLab(labFolder)) throw noLab(labFolder);
        read = readJournal(labFolder, undefined);
    }
    const replica = read.snapshot ? replicaOf(read.snapshot, read) : (known as Replica);
    for (const change of read.changes) applyChange(replica, change);
    replica.position = { generation: read.generation, snapshotEnd: read.snapshotEnd, end: read.end };
    replicas.set(labFolder, replica);
    return replica;
}

function noLab(labFolder: string): HostError {
    return new HostError(
        "HostUnreachable",
        `there is no Hyper-V lab in ${labFolder} (no ${JOURNAL_NAME} nor ${ONE_DOCUMENT_NAME})`,
        { host: labFolder },
        {
            hint: `create one with \`hyperv-lab init --lab ${labFolder}\``,
        },
    );
}

export function materialise(replica: Replica): LabDocument {
    if (!replica.doc) {
        const records = [...replica.records.values()];
        replica.doc = Object.freeze({
            format: LAB_FORMAT,
            host: replica.host,
            vms: Object.freeze(records.map((r) => r.vm)) as LabDocument["vms"],
            checkpoints: Object.freeze(records.flatMap((r) => r.checkpoints)) as LabDocument["checkpoints"],
        }) as LabDocument;
    }
    return replica.doc;
}

/**
 * The lab as it is now, validated as it was read. Shared and frozen: callers read it and neither
 * keep nor change it (a transaction changes a copy of the VM it is about).
 */
export function loadLab(labFolder: string): LabDocument {
    return materialise(catchUp(path.resolve(labFolder)));
}

/** Same as loadLab: kept for readers outside the lab, who only read. */
export const readLab = loadLab;

/** After the journal was rewritten as a new generation: the next read starts from its snapshot. */
export function forgetReplica(labFolder: string): void {
    replicas.delete(labFolder);
}
