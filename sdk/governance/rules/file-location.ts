import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { windowsFolderSchema } from "../../../provider/resources/shared/windows-path";
import { declaredResource, describeVm } from "../resources";
import { RuleConfig, type RuleOptions } from "../rule-config";

export const FILE_LOCATION_RULE = "hyperv-checkpoint-file-location";

const configSchema = z.object({
    allowedRoots: z
        .array(windowsFolderSchema("each entry of allowedRoots"))
        .min(1)
        .describe("Folders on the Hyper-V hosts (drive or UNC paths, case-insensitive) under which checkpoint files may go."),
});
export type FileLocationConfig = z.infer<typeof configSchema>;

const defaults: FileLocationConfig = {
    // Hyper-V's own default location for checkpoint files.
    allowedRoots: ["C:\\ProgramData\\Microsoft\\Windows\\Hyper-V"],
};

/**
 * A declared checkpoint file location (`fileLocation`, Set-VM -SnapshotFileLocation) must lie under
 * one of the allowed roots. Only the declared location is judged: an undeclared one is left as the
 * VM has it and is not this stack's choice.
 */
export function checkpointFileLocation(options: RuleOptions<FileLocationConfig> = {}): ResourceValidationPolicy {
    const config = new RuleConfig(FILE_LOCATION_RULE, configSchema, defaults, options.config);
    return {
        name: FILE_LOCATION_RULE,
        description: "Checkpoint files (.vmcx, .vmrs) go to folders under the allowed roots only.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: config.jsonSchema(),
        validateResource: (args, reportViolation) => {
            const resource = declaredResource(args);
            if (resource?.kind !== "policy") return;
            const location = resource.props.fileLocation;
            if (location === undefined) return;
            const { allowedRoots } = config.read(args);
            if (allowedRoots.some((root) => isUnder(location, root))) return;
            reportViolation(
                `VmCheckpointPolicy "${resource.name}" puts the checkpoint files of VM ${describeVm(resource.vm)} in ${location}, ` +
                    `which is not under an allowed root (${allowedRoots.join(", ")}). ` +
                    "Set fileLocation to a folder under one of them (Hyper-V changes it only while the VM has no checkpoints).",
            );
        },
    };
}

/** Whether a Windows folder is the root or inside it; case-insensitive, as Windows paths are. */
export function isUnder(folder: string, root: string): boolean {
    const parts = (p: string) =>
        p
            .toLowerCase()
            .split("\\")
            .filter((s) => s !== "");
    const f = parts(folder);
    const r = parts(root);
    // "D:\Checkpoints\..\Windows" would start with the root yet leave it.
    if (f.includes("..") || f.includes(".")) return false;
    // A UNC root (\\server\share) only matches UNC folders, a drive root only drive folders.
    if (folder.startsWith("\\\\") !== root.startsWith("\\\\")) return false;
    return r.length <= f.length && r.every((segment, i) => segment === f[i]);
}
