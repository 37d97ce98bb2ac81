import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HostError } from "../host/errors";
import { behaviourSchema, LAB_FORMAT, type Behaviour, type LabDocument, type LabLanguage, type LabOs } from "./document";
import { addSampleVms } from "./sample";
import { newCluster } from "./cluster";
import { CONVERTED_SUFFIX, ONE_DOCUMENT_NAME } from "./conversion";
import { latencySettingsSchema, type LatencySettings } from "./latency";
import { createLabDocument, JOURNAL_NAME, journalPath, updateLab } from "./store";

export interface InitLabOptions {
    /** Fill the host with the sample VMs (sample.ts). */
    sample?: boolean;
    /** The Windows Server release the lab poses as; default 2022. */
    os?: LabOs;
    language?: LabLanguage;
    computerName?: string;
    behaviour?: Partial<Behaviour>;
    latency?: Partial<LatencySettings>;
    /** Make a failover cluster of this many nodes (node1..nodeN) sharing one volume (cluster.ts). */
    clusterNodes?: number;
    /** Replace an existing lab in the folder. */
    force?: boolean;
}

/** Creates a lab in `labFolder`: an empty host, or one with the sample VMs. */
export async function initLab(labFolder: string, options: InitLabOptions = {}): Promise<void> {
    const folder = path.resolve(labFolder);
    if (fs.existsSync(journalPath(folder)) || fs.existsSync(path.join(folder, ONE_DOCUMENT_NAME))) {
        if (!options.force) {
            throw new HostError(
                "HostFailure",
                `${folder} already holds a Hyper-V lab`,
                { host: folder, operation: "init" },
                {
                    hint: "use --force to replace it, or choose another folder",
                },
            );
        }
        for (const name of ["volumes", ".locks", JOURNAL_NAME, ONE_DOCUMENT_NAME, `${ONE_DOCUMENT_NAME}${CONVERTED_SUFFIX}`])
            fs.rmSync(path.join(folder, name), { recursive: true, force: true });
    }
    const doc: LabDocument = {
        format: LAB_FORMAT,
        host: {
            cluster: options.clusterNodes === undefined ? null : newCluster(options.clusterNodes),
            computerName: options.computerName ?? `HV-LAB-${os.hostname().split(".")[0]?.toUpperCase() ?? "HOST"}`.slice(0, 15),
            os: options.os ?? "2022",
            language: options.language ?? "en-US",
            behaviour: behaviourSchema.parse(options.behaviour ?? {}),
            latency: latencySettingsSchema.parse(options.latency ?? {}),
            fault: null,
            volumes: [],
            events: [],
        },
        vms: [],
        checkpoints: [],
    };
    await createLabDocument(folder, doc, (tx) => {
        if (options.sample) addSampleVms(doc, tx);
    });
}

export interface HostSettingsChange {
    language?: LabLanguage;
    behaviour?: Partial<Behaviour>;
    latency?: Partial<LatencySettings>;
    /** A fault specification (fault-injection.ts), or null to clear it. */
    fault?: string | null;
}

/** Changes how the simulated host behaves (language, unconfirmed behaviours, latency, faults). */
export async function setHostSettings(labFolder: string, change: HostSettingsChange): Promise<LabDocument["host"]> {
    return updateLab(path.resolve(labFolder), { operation: "setHostSettings" }, (doc) => {
        if (change.language !== undefined) doc.host.language = change.language;
        if (change.behaviour !== undefined) doc.host.behaviour = behaviourSchema.parse({ ...doc.host.behaviour, ...change.behaviour });
        if (change.latency !== undefined) doc.host.latency = latencySettingsSchema.parse({ ...doc.host.latency, ...change.latency });
        if (change.fault !== undefined) doc.host.fault = change.fault;
        return doc.host;
    });
}
