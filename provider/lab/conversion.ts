import * as fs from "node:fs";
import * as path from "node:path";
import { HostError } from "../host/errors";
import { labDocumentSchema } from "./document";
import { writeJournal } from "./journal";

/*
 * Labs made before the journal kept everything in one document, `host.json`, rewritten whole by
 * every mutation. Such a lab still opens: the first process to open it writes the journal from
 * the document and renames the document to `host.json.converted` (kept as a backup, read no more).
 */

export const ONE_DOCUMENT_NAME = "host.json";
export const CONVERTED_SUFFIX = ".converted";

/** Converts a one-document lab in `labFolder`; false when there is none. */
export function convertOneDocumentLab(labFolder: string): boolean {
    const file = path.join(labFolder, ONE_DOCUMENT_NAME);
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw e;
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw unconvertible(labFolder, file, (e as Error).message);
    }
    const parsed = labDocumentSchema.safeParse(json);
    if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
        throw unconvertible(labFolder, file, issues.join("; "));
    }
    const doc = parsed.data;
    try {
        writeJournal(
            labFolder,
            {
                host: doc.host,
                vms: doc.vms.map((vm) => ({ vm, checkpoints: doc.checkpoints.filter((c) => c.vmId === vm.id) })),
            },
            { exclusive: true },
        );
    } catch (e) {
        // Another process converted it first: its journal is the lab now.
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    try {
        fs.renameSync(file, `${file}${CONVERTED_SUFFIX}`);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    return true;
}

function unconvertible(labFolder: string, file: string, detail: string): HostError {
    return new HostError(
        "HostFailure",
        `the lab document ${file} is corrupt, so the lab cannot be converted to its journal: ${detail}`,
        { host: labFolder },
        {
            hint: "restore the file, or re-create the lab with `hyperv-lab init --force`",
        },
    );
}
