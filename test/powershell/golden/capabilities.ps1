# hyperv-checkpoints: read host capabilities
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
Set-StrictMode -Off
if ($HvcpPreludeVersion -ne 'ce72dba10b58aa7b') { return '{"preludeMissing":"ce72dba10b58aa7b"}' }
$HvcpInput = Restore-HvcpText (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('e30='))))
$HvcpResult = $null
try {
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
    $HvcpOutput = [ordered]@{ ok = $HvcpResult }
} catch {
    $HvcpOutput = ConvertTo-HvcpErrorEnvelope $_
}
ConvertTo-Json -InputObject $HvcpOutput -Depth 6 -Compress
