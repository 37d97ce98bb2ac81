import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

const source = resolve(__dirname, "../../../../test/powershell/stand-in/module");

/**
 * A folder for PSModulePath holding the stand-in `Hyper-V` module (compiled from
 * module/HyperVStandIn.cs with the shell's own Add-Type, once per version of the source) and the
 * stand-in `CimCmdlets`.
 */
export function standInModulePath(pwsh: string): string {
    const cs = readFileSync(join(source, "HyperVStandIn.cs"));
    const manifests = ["Hyper-V/Hyper-V.psd1", "CimCmdlets/CimCmdlets.psd1", "CimCmdlets/CimCmdlets.psm1"].map((f) => readFileSync(join(source, f)));
    const digest = createHash("sha256").update(cs).update(Buffer.concat(manifests)).digest("hex").slice(0, 16);
    const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
    const folder = join(cache, "hyperv-checkpoints", `hyperv-stand-in-${digest}`);
    if (existsSync(join(folder, "Hyper-V", "HyperVStandIn.dll"))) return folder;
    const partial = `${folder}.${process.pid}`;
    mkdirSync(partial, { recursive: true });
    cpSync(join(source, "Hyper-V"), join(partial, "Hyper-V"), { recursive: true });
    cpSync(join(source, "CimCmdlets"), join(partial, "CimCmdlets"), { recursive: true });
    execFileSync(
        pwsh,
        [
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            `Add-Type -Path '${join(source, "HyperVStandIn.cs")}' -OutputAssembly '${join(partial, "Hyper-V", "HyperVStandIn.dll")}' -OutputType Library`,
        ],
        { stdio: ["ignore", "inherit", "inherit"] },
    );
    try {
        renameSync(partial, folder);
    } catch (e) {
        // Another process compiled it first.
        if (!existsSync(join(folder, "Hyper-V", "HyperVStandIn.dll"))) throw e;
    }
    return folder;
}

/**
 * A folder for PSModulePath holding the FailoverClusters stand-in (module/FailoverClusters, a
 * script module using the Hyper-V stand-in's client), for the shells that are cluster nodes only:
 * the other shells have no FailoverClusters module, as a stand-alone Hyper-V host.
 */
export function standInClusterModulePath(): string {
    const files = ["FailoverClusters.psd1", "FailoverClusters.psm1"];
    const digest = createHash("sha256")
        .update(Buffer.concat(files.map((f) => readFileSync(join(source, "FailoverClusters", f)))))
        .digest("hex")
        .slice(0, 16);
    const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
    const folder = join(cache, "hyperv-checkpoints", `failover-clusters-stand-in-${digest}`);
    if (existsSync(join(folder, "FailoverClusters", "FailoverClusters.psm1"))) return folder;
    const partial = `${folder}.${process.pid}`;
    cpSync(join(source, "FailoverClusters"), join(partial, "FailoverClusters"), { recursive: true });
    try {
        renameSync(partial, folder);
    } catch (e) {
        if (!existsSync(join(folder, "FailoverClusters", "FailoverClusters.psm1"))) throw e;
    }
    return folder;
}
