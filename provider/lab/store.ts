import * as fs from "node:fs";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";
import { LOCK_STALE_MS, withLabLock } from "./lab-lock";
import { labDocumentSchema, labHostSchema, type LabDocument } from "./document";
import { injectFault, type FaultPoint } from "./fault-injection";
import { appendChange, journalPath, JOURNAL_NAME, vmRecordSchema, writeJournal, type Change, type Snapshot } from "./journal";
import { effectiveLatency, spendTime, type HostWork } from "./latency";
import { fail } from "./refusals";
import { labPathOf } from "./volumes";
import { applyChange, catchUp, forgetReplica, loadLab, materialise, readLab, type Replica } from "./replica";

/*
 * How every operation touches the lab (journal.ts holds the file format): take the VM's busy
 * marker, spend the operation's time, take the cross-process lock, catch up with the journal,
 * mutate a copy of the one VM, append its new record (fsync), delete the files the change made
 * obsolete, release. New files are written before the record and old ones deleted after it, so a
 * crash at any point leaves a valid lab whose files all exist (at worst a few orphans).
 *
 * Each process keeps a replica of the lab (replica.ts) and reads only the journal's lines it has
 * not seen, so neither a read nor a mutation of one VM costs more in a fleet of 1,000 than of 10.
 */

/** A VM's queue under `serialize`: the operation ahead may take minutes on the realistic profile. */
const VM_QUEUE_RETRIES = { forever: true, factor: 1.2, minTimeout: 5, maxTimeout: 200, randomize: true };
/** The journal is compacted when what follows the snapshot outgrows it (amortised O(1) per append). */
const COMPACT_MIN_BYTES = 1024 * 1024;

export { journalPath, JOURNAL_NAME };

export { loadLab, readLab };

function snapshotOf(doc: LabDocument): Snapshot {
    const byVm = new Map(doc.vms.map((vm) => [vm.id, { vm, checkpoints: [] as LabDocument["checkpoints"] }]));
    for (const cp of doc.checkpoints) byVm.get(cp.vmId)?.checkpoints.push(cp);
    return { host: doc.host, vms: [...byVm.values()] };
}

/**
 * What a mutation may change: the host's settings, the one VM it is about and that VM's
 * checkpoints (copies), and new VMs. Every other record stays the frozen original.
 */
function workingCopy(doc: LabDocument, vmId: string | undefined): LabDocument {
    const id = vmId?.toLowerCase();
    return {
        format: doc.format,
        host: structuredClone(doc.host),
        vms: doc.vms.map((v) => (v.id === id ? structuredClone(v) : v)),
        checkpoints: doc.checkpoints.map((c) => (c.vmId === id ? structuredClone(c) : c)),
    };
}

/**
 * The records the mutation changed, validated: the VM it was about (if it changed), VMs it
 * created or removed, the host. A mutation that changed nothing writes nothing.
 */
function changeOf(replica: Replica, before: LabDocument, after: LabDocument, vmId: string | undefined): Change | undefined {
    const id = vmId?.toLowerCase();
    const candidates = after.vms.filter((v) => v.id === id || !replica.records.has(v.id));
    const ids = new Set(candidates.map((v) => v.id));
    const checkpoints = after.checkpoints.filter((c) => ids.has(c.vmId));
    const records = candidates
        .map((vm) => ({ vm, checkpoints: checkpoints.filter((c) => c.vmId === vm.id) }))
        .filter((record) => JSON.stringify(record) !== JSON.stringify(replica.records.get(record.vm.id)))
        .map((record) => vmRecordSchema.parse(record));
    const remaining = new Set(after.vms.map((v) => v.id));
    const removed = [...replica.records.keys()].filter((k) => !remaining.has(k));
    const hostChanged = JSON.stringify(after.host) !== JSON.stringify(before.host);
    if (records.length === 0 && removed.length === 0 && !hostChanged) return undefined;
    return {
        ...(hostChanged ? { host: labHostSchema.parse(after.host) } : {}),
        vms: records,
        ...(removed.length > 0 ? { removed } : {}),
    };
}

/** File effects of one operation, in Windows paths of the simulated host. */
export interface Transaction {
    readonly labFolder: string;
    /** Writes a file now (before the record): it exists before anything refers to it. */
    createFile(windowsPath: string, content: string): void;
    /** Deletes a file once the journal no longer refers to it. */
    deleteAfterCommit(windowsPath: string): void;
    /** A point where a configured fault may strike (see fault-injection.ts). */
    fault(point: FaultPoint): void;
    /** Work the host does for this operation: it decides how long the operation takes (latency.ts). */
    spend(work: HostWork): void;
}

export interface UpdateOptions {
    /** The operation's name, for faults and errors, e.g. "takeCheckpoint". */
    operation: string;
    /** Id of the VM the operation mutates: claimed for the whole operation, and the one record it may change. */
    vmId?: string;
}

/**
 * One operation on the lab. Under a latency profile the mutation first runs on a throw-away copy
 * without the lab-wide lock: Hyper-V's refusals come at once, and the work it reports sets the
 * wait. Then, still holding the VM's busy marker, it runs for real under the lock: re-validated
 * against the lab as it is at the end of the wait, when its change becomes visible.
 */
export async function updateLab<T>(labFolder: string, options: UpdateOptions, mutate: (doc: LabDocument, tx: Transaction) => T): Promise<T> {
    const folder = path.resolve(labFolder);
    const releaseVm = options.vmId ? await claimVm(folder, options.operation, options.vmId.toLowerCase()) : undefined;
    try {
        const doc = loadLab(folder);
        if (effectiveLatency(doc.host.latency).profile !== "none") {
            const work: HostWork[] = [];
            mutate(workingCopy(doc, options.vmId), rehearsal(folder, work));
            await spendTime(work, doc.host.latency, options.vmId);
        }
        return await withLabLock(folder, () => runTransaction(folder, options, mutate));
    } finally {
        await releaseVm?.();
    }
}

function rehearsal(labFolder: string, work: HostWork[]): Transaction {
    return { labFolder, createFile() {}, deleteAfterCommit() {}, fault() {}, spend: (w) => work.push(w) };
}

function runTransaction<T>(labFolder: string, options: UpdateOptions, mutate: (doc: LabDocument, tx: Transaction) => T): T {
    const replica = catchUp(labFolder);
    const before = materialise(replica);
    const doc = workingCopy(before, options.vmId);
    const created: string[] = [];
    const obsolete: string[] = [];
    const tx: Transaction = {
        labFolder,
        createFile(windowsPath, content) {
            const file = labPathOf(labFolder, windowsPath);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, content);
            created.push(file);
        },
        deleteAfterCommit(windowsPath) {
            obsolete.push(labPathOf(labFolder, windowsPath));
        },
        fault: (point) => injectFault(doc.host.fault, options.operation, point),
        spend() {},
    };
    let result: T;
    try {
        tx.fault("beforeFiles");
        result = mutate(doc, tx);
        tx.fault("afterFiles");
        const change = changeOf(replica, before, doc, options.vmId);
        tx.fault("beforeWrite");
        if (change) {
            // Appended where the last valid line ends: a tail a crashed writer tore is cut off.
            replica.position.end = appendChange(labFolder, replica.position.end, change);
            applyChange(replica, change);
        }
    } catch (e) {
        for (const file of created) fs.rmSync(file, { force: true });
        throw e;
    }
    tx.fault("afterWrite");
    for (const file of obsolete) fs.rmSync(file, { force: true });
    compactIfDue(labFolder, replica);
    return result;
}

function compactIfDue(labFolder: string, replica: Replica): void {
    const { end, snapshotEnd } = replica.position;
    if (end - snapshotEnd <= Math.max(COMPACT_MIN_BYTES, 2 * snapshotEnd)) return;
    const doc = materialise(replica);
    replica.position = writeJournal(labFolder, snapshotOf(doc));
}

/**
 * Hyper-V runs one mutation per VM at a time; the reference expects a second one to fail with a
 * state error (unconfirmed), so by default the lab refuses it, and `serialize` queues it instead.
 * Held for the whole operation, its wait included.
 */
async function claimVm(labFolder: string, operation: string, vmId: string): Promise<() => Promise<void>> {
    const doc = loadLab(labFolder);
    const queue = doc.host.behaviour.concurrentVmMutations === "serialize";
    const locks = path.join(labFolder, ".locks");
    fs.mkdirSync(locks, { recursive: true });
    try {
        return await lockfile.lock(path.join(locks, vmId), { realpath: false, stale: LOCK_STALE_MS, retries: queue ? VM_QUEUE_RETRIES : 0 });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ELOCKED") throw e;
        throw fail.operationInProgress({ language: doc.host.language, context: { host: labFolder, vmId, operation } });
    }
}

function fileWriter(labFolder: string): Transaction {
    return {
        labFolder,
        createFile(windowsPath, content) {
            const file = labPathOf(labFolder, windowsPath);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, content);
        },
        deleteAfterCommit() {},
        fault: () => undefined,
        spend() {},
    };
}

/** Writes a brand-new lab (creation), under the same lock as every other write. */
export async function createLabDocument(labFolder: string, doc: LabDocument, build: (tx: Transaction) => void): Promise<void> {
    const folder = path.resolve(labFolder);
    fs.mkdirSync(folder, { recursive: true });
    await withLabLock(folder, () => {
        build(fileWriter(folder));
        writeJournal(folder, snapshotOf(labDocumentSchema.parse(doc)));
        forgetReplica(folder);
    });
}

/**
 * Rewrites the whole lab at once, for edits no Hyper-V operation makes (a test back-dating
 * checkpoints, say): validated, and written as a new journal generation.
 */
export async function rewriteLab(labFolder: string, edit: (doc: LabDocument) => void): Promise<void> {
    const folder = path.resolve(labFolder);
    await withLabLock(folder, () => {
        const doc = structuredClone(loadLab(folder)) as LabDocument;
        edit(doc);
        writeJournal(folder, snapshotOf(labDocumentSchema.parse(doc)));
        forgetReplica(folder);
    });
}
