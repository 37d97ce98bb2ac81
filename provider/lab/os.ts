import type { HostCapabilities } from "../host/model";
import type { LabOs } from "./document";

/** What each Windows Server release's Hyper-V offers, for a lab posing as it. */
export interface OsProfile {
    caption: string;
    build: number;
    supportsCheckpointType: boolean;
    supportsAutomaticCheckpoints: boolean;
    /** The newest VM configuration version the release creates. */
    maxVmVersion: string;
}

export const osProfiles: Record<LabOs, OsProfile> = {
    "2012r2": {
        caption: "Windows Server 2012 R2 Datacenter",
        build: 9600,
        supportsCheckpointType: false,
        supportsAutomaticCheckpoints: false,
        maxVmVersion: "5.0",
    },
    "2016": { caption: "Windows Server 2016 Datacenter", build: 14393, supportsCheckpointType: true, supportsAutomaticCheckpoints: false, maxVmVersion: "8.0" },
    "2019": { caption: "Windows Server 2019 Datacenter", build: 17763, supportsCheckpointType: true, supportsAutomaticCheckpoints: true, maxVmVersion: "9.0" },
    "2022": { caption: "Windows Server 2022 Datacenter", build: 20348, supportsCheckpointType: true, supportsAutomaticCheckpoints: true, maxVmVersion: "10.0" },
};

export function capabilitiesOf(os: LabOs, computerName: string): HostCapabilities {
    const profile = osProfiles[os];
    return {
        computerName,
        osCaption: profile.caption,
        osBuild: profile.build,
        supportsCheckpointType: profile.supportsCheckpointType,
        supportsAutomaticCheckpoints: profile.supportsAutomaticCheckpoints,
    };
}
