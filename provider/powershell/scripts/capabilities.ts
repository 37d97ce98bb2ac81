import type { OperationScript } from "./render";

/** What the host can do, read once per session: OS build, Set-VM's parameters, PowerShell edition. */
export const capabilitiesScript: OperationScript = {
    operation: "read host capabilities",
    body: String.raw`
$os = CimCmdlets\Get-CimInstance -ClassName Win32_OperatingSystem
$setVm = Get-Command -Name Hyper-V\Set-VM
$HvcpResult = [ordered]@{
    computerName = [string]$os.CSName
    osCaption = [string]$os.Caption
    osBuild = [int]$os.BuildNumber
    supportsCheckpointType = $setVm.Parameters.ContainsKey('CheckpointType')
    supportsAutomaticCheckpoints = $setVm.Parameters.ContainsKey('AutomaticCheckpointsEnabled')
    psEdition = [string]$PSVersionTable.PSEdition
    psVersion = $PSVersionTable.PSVersion.ToString()
}
`,
};
