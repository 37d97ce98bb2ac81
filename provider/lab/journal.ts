import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { HostError } from "../host/errors";
import { labCheckpointSchema, labHostSchema, labVmSchema } from "./document";

/*
 * `<lab>/lab.journal`: the lab as an append-only file of checksummed lines, so that a mutation of
 * one VM appends that VM's new record instead of rewriting every VM (the one-document store cost
 * 15 ms per mutation at 500 VMs and grew with the fleet).
 *   line 1: the header, {format, generation}: a compaction writes a new generation;
 *   line 2: a snapshot of the whole host, {host, vms: [{vm, checkpoints}]};
 *   then one line per committed transaction, {host?, vms: [...], removed?: [ids]}: each record
 *   replaces that VM's.
 * Each line is `<checksum> <json>\n`, the checksum being the first 16 hex digits of the JSON's
 * SHA-256. An append is one write then fsync; a crash mid-append leaves a final line that is
 * incomplete or fails its checksum, which readers stop at and the next writer cuts off.
 */

export const JOURNAL_NAME = "lab.journal";
export const JOURNAL_FORMAT = "hyperv-lab/2";

export function journalPath(labFolder: string): string {
    return path.join(labFolder, JOURNAL_NAME);
}

/** One VM and its checkpoints, oldest first: the unit a mutation rewrites. */
export const vmRecordSchema = z.object({
    vm: labVmSchema,
    checkpoints: z.array(labCheckpointSchema),
});
export type VmRecord = z.infer<typeof vmRecordSchema>;

const headerSchema = z.object({ format: z.literal(JOURNAL_FORMAT), generation: z.string().min(1) });
const snapshotSchema = z.object({ host: labHostSchema, vms: z.array(vmRecordSchema) });
export type Snapshot = z.infer<typeof snapshotSchema>;
/** A transaction's effect: the records it replaced or added, and the VMs it removed. */
const changeSchema = z.object({ host: labHostSchema.optional(), vms: z.array(vmRecordSchema), removed: z.array(z.string()).optional() });
export type Change = z.infer<typeof changeSchema>;

function checksum(json: string): string {
    return createHash("sha256").update(json).digest("hex").slice(0, 16);
}

export function encodeLine(value: unknown): string {
    const json = JSON.stringify(value);
    return `${checksum(json)} ${json}\n`;
}

/** A complete line's JSON, or undefined when its checksum fails (a torn write). */
function decodeLine(line: string): unknown {
    const space = line.indexOf(" ");
    const json = line.slice(space + 1);
    if (space !== 16 || checksum(json) !== line.slice(0, 16)) return undefined;
    try {
        return JSON.parse(json);
    } catch {
        return undefined;
    }
}

export function corrupt(labFolder: string, detail: string): HostError {
    return new HostError(
        "HostFailure",
        `the lab journal ${journalPath(labFolder)} is corrupt: ${detail}`,
        { host: labFolder },
        {
            hint: "restore the folder from a backup, or re-create the lab with `hyperv-lab init --force`",
        },
    );
}

function parse<S extends z.ZodType>(schema: S, value: unknown, labFolder: string, where: string): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw corrupt(labFolder, `${where}: ${issues.join("; ")}`);
}

/** What a reader learned from the file: where it stands now, and the changes since it last looked. */
export interface JournalRead {
    generation: string;
    /** Set when the reader started over (new generation, or first look). */
    snapshot?: Snapshot;
    /** Byte offset just past the snapshot line: what a compaction would shrink the file to. */
    snapshotEnd: number;
    changes: Change[];
    /** Just past the last valid line: the next append goes here. */
    end: number;
    /** Bytes after `end` that are no valid line: an append in progress, or one a crash tore. */
    tail: number;
}

export interface ReaderPosition {
    generation: string;
    snapshotEnd: number;
    end: number;
}

/** Reads the journal from where `position` left it, or from the start if it was compacted since. */
export function readJournal(labFolder: string, position: ReaderPosition | undefined): JournalRead {
    const file = journalPath(labFolder);
    const fd = fs.openSync(file, "r");
    try {
        const size = fs.fstatSync(fd).size;
        const head = readHeader(fd, size, labFolder);
        const same = position !== undefined && position.generation === head.generation && position.end <= size;
        let offset = same ? position.end : head.end;
        let snapshot: Snapshot | undefined;
        let snapshotEnd = same ? position.snapshotEnd : 0;
        const changes: Change[] = [];
        // Lines are found as bytes: a newline byte never occurs inside a UTF-8 sequence.
        const bytes = readRange(fd, offset, size);
        let at = 0;
        for (;;) {
            const newline = bytes.indexOf(10, at);
            if (newline < 0) break;
            const value = decodeLine(bytes.toString("utf8", at, newline));
            if (value === undefined) {
                if (!same && snapshot === undefined) throw corrupt(labFolder, "the snapshot line is damaged");
                break;
            }
            if (!same && snapshot === undefined) {
                snapshot = parse(snapshotSchema, value, labFolder, "the snapshot");
                snapshotEnd = offset + newline + 1;
            } else {
                changes.push(parse(changeSchema, value, labFolder, `the change at byte ${offset + at}`));
            }
            at = newline + 1;
        }
        if (!same && snapshot === undefined) throw corrupt(labFolder, "it holds no snapshot");
        offset += at;
        return { generation: head.generation, ...(snapshot ? { snapshot } : {}), snapshotEnd, changes, end: offset, tail: size - offset };
    } finally {
        fs.closeSync(fd);
    }
}

function readRange(fd: number, from: number, to: number): Buffer {
    if (to <= from) return Buffer.alloc(0);
    const buffer = Buffer.alloc(to - from);
    let read = 0;
    while (read < buffer.length) {
        const n = fs.readSync(fd, buffer, read, buffer.length - read, from + read);
        if (n === 0) break;
        read += n;
    }
    return buffer.subarray(0, read);
}

/** The header is short: a small read, whatever the size of the snapshot after it. */
function readHeader(fd: number, size: number, labFolder: string): { generation: string; end: number } {
    const bytes = readRange(fd, 0, Math.min(size, 512));
    const newline = bytes.indexOf(10);
    const value = newline < 0 ? undefined : decodeLine(bytes.toString("utf8", 0, newline));
    if (value === undefined) throw corrupt(labFolder, "its header is not a journal header");
    const header = parse(headerSchema, value, labFolder, "the header");
    return { generation: header.generation, end: newline + 1 };
}

/** Appends one change at `at` (cutting off a torn tail) and makes it durable; returns the new end. */
export function appendChange(labFolder: string, at: number, change: Change): number {
    const line = Buffer.from(encodeLine(change), "utf8");
    const fd = fs.openSync(journalPath(labFolder), "r+");
    try {
        fs.ftruncateSync(fd, at);
        fs.writeSync(fd, line, 0, line.length, at);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    return at + line.length;
}

/**
 * Writes a new journal holding only `snapshot`, atomically (temp file, fsync, rename): lab creation,
 * compaction, and conversion from the one-document format. `exclusive` fails with EEXIST instead
 * of replacing a journal that exists (a conversion another process already did).
 */
export function writeJournal(labFolder: string, snapshot: Snapshot, options: { exclusive?: boolean } = {}): ReaderPosition {
    const file = journalPath(labFolder);
    const generation = randomUUID();
    const header = encodeLine({ format: JOURNAL_FORMAT, generation });
    const body = encodeLine(snapshot);
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const fd = fs.openSync(temp, "w");
    try {
        fs.writeSync(fd, header + body);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    try {
        if (options.exclusive) fs.linkSync(temp, file);
        else fs.renameSync(temp, file);
    } finally {
        fs.rmSync(temp, { force: true });
    }
    syncFolder(labFolder);
    const snapshotEnd = Buffer.byteLength(header + body, "utf8");
    return { generation, snapshotEnd, end: snapshotEnd };
}

function syncFolder(folder: string): void {
    try {
        const dir = fs.openSync(folder, "r");
        try {
            fs.fsyncSync(dir);
        } finally {
            fs.closeSync(dir);
        }
    } catch {
        // Directories cannot be opened for fsync on every platform; the rename is still atomic.
    }
}
