import * as fs from "node:fs";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";
import { HostError } from "../host/errors";
import { labDocumentSchema, type LabDocument } from "./document";
import { injectFault, type FaultPoint } from "./fault-injection";
import { fail } from "./refusals";
import { labPathOf } from "./volumes";

/*
 * The lab's one document, `<lab>/host.json`, and how every operation touches it: take the
 * cross-process lock, read and validate the document once, mutate it, write it atomically (temp
 * file, fsync, rename), then delete the files the change made obsolete, then release. New files
 * are written before the document and old ones deleted after it, so a crash at any point leaves a
 * valid document whose files all exist (at worst a few orphans).
 */

export const DOCUMENT_NAME = "host.json";

/** A holder that stops refreshing its lock (killed, hung) loses it after this long. */
const LOCK_STALE_MS = 5000;
const LOCK_RETRIES = { retries: 4000, factor: 1, minTimeout: 5, maxTimeout: 40, randomize: true };

export function documentPath(labFolder: string): string {
    return path.join(labFolder, DOCUMENT_NAME);
}

/**
 * The document as last read or written by this process, per lab, with the identity of the file
 * version it came from: a read of an unchanged file costs a stat, not a parse and a validation.
 */
const loaded = new Map<string, { stamp: string; doc: LabDocument }>();

/** Identifies one version of the file: every atomic write is a new inode; an in-place edit changes the times. */
function stampOf(file: string): string | undefined {
    try {
        const s = fs.statSync(file, { bigint: true });
        return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch {
        return undefined;
    }
}

/**
 * The document, read and validated once per version of the file. Shared: callers read it
 * synchronously and neither keep nor change it (transactions take it out of the cache first).
 */
export function loadLab(labFolder: string): LabDocument {
    const file = documentPath(labFolder);
    // Stamped before reading: if the file is replaced in between, the stamp is stale and the next load reads again.
    const stamp = stampOf(file);
    const hit = loaded.get(file);
    if (hit && stamp !== undefined && hit.stamp === stamp) return hit.doc;
    const doc = readLab(labFolder);
    if (stamp !== undefined) loaded.set(file, { stamp, doc });
    return doc;
}

/** Reads and validates the document; no lock is needed because writes replace it atomically. */
export function readLab(labFolder: string): LabDocument {
    const file = documentPath(labFolder);
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") {
            throw new HostError("HostUnreachable", `there is no Hyper-V lab in ${labFolder} (no ${DOCUMENT_NAME})`, { host: labFolder }, {
                hint: `create one with \`hyperv-lab init --lab ${labFolder}\``,
            });
        }
        throw e;
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw corrupt(labFolder, file, (e as Error).message);
    }
    const parsed = labDocumentSchema.safeParse(json);
    if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
        throw corrupt(labFolder, file, issues.join("; "));
    }
    return parsed.data;
}

function corrupt(labFolder: string, file: string, detail: string): HostError {
    return new HostError("HostFailure", `the lab document ${file} is corrupt: ${detail}`, { host: labFolder }, {
        hint: "restore the file, or re-create the lab with `hyperv-lab init --force`",
    });
}

function writeAtomically(file: string, content: string): void {
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const fd = fs.openSync(temp, "w");
    try {
        fs.writeSync(fd, content);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    try {
        const dir = fs.openSync(path.dirname(file), "r");
        try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); }
    } catch {
        // Directories cannot be opened for fsync on every platform; the rename is still atomic.
    }
}

function serialise(doc: LabDocument): string {
    return `${JSON.stringify(labDocumentSchema.parse(doc))}\n`;
}

/** Validates and writes the document, which becomes the loaded version of the new file. */
function commit(labFolder: string, doc: LabDocument): void {
    const file = documentPath(labFolder);
    const valid = labDocumentSchema.parse(doc);
    // Compact: every mutation rewrites the whole document (`hyperv-lab show --json` is the readable view).
    writeAtomically(file, `${JSON.stringify(valid)}\n`);
    const stamp = stampOf(file);
    if (stamp !== undefined) loaded.set(file, { stamp, doc: valid });
}

/** File effects of one operation, in Windows paths of the simulated host. */
export interface Transaction {
    readonly labFolder: string;
    /** Writes a file now (before the document): it exists before anything refers to it. */
    createFile(windowsPath: string, content: string): void;
    /** Deletes a file once the document no longer refers to it. */
    deleteAfterCommit(windowsPath: string): void;
    /** A point where a configured fault may strike (see fault-injection.ts). */
    fault(point: FaultPoint): void;
}

export interface UpdateOptions {
    /** The operation's name, for faults and errors, e.g. "takeCheckpoint". */
    operation: string;
    /** Id of the VM the operation mutates: with `concurrentVmMutations: refuse`, a concurrent one fails. */
    vmId?: string;
}

/** One operation on the lab: locked, validated, mutated, written atomically. */
export async function updateLab<T>(labFolder: string, options: UpdateOptions, mutate: (doc: LabDocument, tx: Transaction) => T): Promise<T> {
    const releaseVm = options.vmId ? await claimVm(labFolder, options.operation, options.vmId.toLowerCase()) : undefined;
    try {
        const release = await lockfile.lock(documentPath(labFolder), { realpath: false, stale: LOCK_STALE_MS, retries: LOCK_RETRIES });
        try {
            return runTransaction(labFolder, options.operation, mutate);
        } finally {
            await release();
        }
    } finally {
        await releaseVm?.();
    }
}

function runTransaction<T>(labFolder: string, operation: string, mutate: (doc: LabDocument, tx: Transaction) => T): T {
    const doc = loadLab(labFolder);
    // Mutated in place: out of the cache until it is written (a failed mutation leaves it half-done).
    loaded.delete(documentPath(labFolder));
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
        fault: (point) => injectFault(doc.host.fault, operation, point),
    };
    let result: T;
    try {
        tx.fault("beforeFiles");
        result = mutate(doc, tx);
        tx.fault("afterFiles");
        tx.fault("beforeWrite");
        commit(labFolder, doc);
    } catch (e) {
        for (const file of created) fs.rmSync(file, { force: true });
        throw e;
    }
    tx.fault("afterWrite");
    for (const file of obsolete) fs.rmSync(file, { force: true });
    return result;
}

/**
 * Hyper-V runs one mutation per VM at a time; the reference expects a second one to fail with a
 * state error (unconfirmed), so by default the lab refuses it, and `serialize` queues it instead.
 */
async function claimVm(labFolder: string, operation: string, vmId: string): Promise<(() => Promise<void>) | undefined> {
    const doc = loadLab(labFolder);
    if (doc.host.behaviour.concurrentVmMutations === "serialize") return undefined;
    const locks = path.join(labFolder, ".locks");
    fs.mkdirSync(locks, { recursive: true });
    try {
        return await lockfile.lock(path.join(locks, vmId), { realpath: false, stale: LOCK_STALE_MS, retries: 0 });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ELOCKED") throw e;
        throw fail.operationInProgress({ language: doc.host.language, context: { host: labFolder, vmId, operation } });
    }
}

/** Writes a brand-new document (lab creation), under the same lock as every other write. */
export async function createLabDocument(labFolder: string, doc: LabDocument, build: (tx: Transaction) => void): Promise<void> {
    fs.mkdirSync(labFolder, { recursive: true });
    const release = await lockfile.lock(documentPath(labFolder), { realpath: false, stale: LOCK_STALE_MS, retries: LOCK_RETRIES });
    try {
        const tx: Transaction = {
            labFolder,
            createFile(windowsPath, content) {
                const file = labPathOf(labFolder, windowsPath);
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(file, content);
            },
            deleteAfterCommit() {},
            fault: () => undefined,
        };
        build(tx);
        writeAtomically(documentPath(labFolder), serialise(doc));
    } finally {
        await release();
    }
}
