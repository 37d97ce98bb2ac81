import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HostError } from "../host/errors";
import { behaviourSchema, LAB_FORMAT, type Behaviour, type LabDocument, type LabLanguage, type LabOs } from "./document";
import { addSampleVms } from "./sample";
import { createLabDocument, documentPath, updateLab } from "./store";

export interface InitLabOptions {
    /** Fill the host with the sample VMs (sample.ts). */
    sample?: boolean;
    /** The Windows Server release the lab poses as; default 2022. */
    os?: LabOs;
    language?: LabLanguage;
    computerName?: string;
    behaviour?: Partial<Behaviour>;
    /** Replace an existing lab in the folder. */
    force?: boolean;
}

/** Creates a lab in `labFolder`: an empty host, or one with the sample VMs. */
export async function initLab(labFolder: string, options: InitLabOptions = {}): Promise<void> {
    const folder = path.resolve(labFolder);
    if (fs.existsSync(documentPath(folder))) {
        if (!options.force) {
            throw new HostError("HostFailure", `${folder} already holds a Hyper-V lab`, { host: folder, operation: "init" }, {
                hint: "use --force to replace it, or choose another folder",
            });
        }
        for (const name of ["volumes", ".locks", "host.json"]) fs.rmSync(path.join(folder, name), { recursive: true, force: true });
    }
    const doc: LabDocument = {
        format: LAB_FORMAT,
        host: {
            computerName: options.computerName ?? `HV-LAB-${os.hostname().split(".")[0]?.toUpperCase() ?? "HOST"}`.slice(0, 15),
            os: options.os ?? "2022",
            language: options.language ?? "en-US",
            behaviour: behaviourSchema.parse(options.behaviour ?? {}),
            fault: null,
        },
        vms: [],
        checkpoints: [],
        journal: [],
    };
    await createLabDocument(folder, doc, (tx) => {
        if (options.sample) addSampleVms(doc, tx);
    });
}

export interface HostSettingsChange {
    language?: LabLanguage;
    behaviour?: Partial<Behaviour>;
    /** A fault specification (faults.ts), or null to clear it. */
    fault?: string | null;
}

/** Changes how the simulated host behaves (language, unconfirmed behaviours, faults). */
export async function setHostSettings(labFolder: string, change: HostSettingsChange): Promise<LabDocument["host"]> {
    return updateLab(path.resolve(labFolder), { operation: "setHostSettings" }, (doc) => {
        if (change.language !== undefined) doc.host.language = change.language;
        if (change.behaviour !== undefined) doc.host.behaviour = behaviourSchema.parse({ ...doc.host.behaviour, ...change.behaviour });
        if (change.fault !== undefined) doc.host.fault = change.fault;
        return doc.host;
    });
}
