# The FailoverClusters stand-in's cmdlets: each is one call to the lab through the Hyper-V
# stand-in's client (HyperVStandIn.cs, Lab.CallJson), which sends the shell's node with it. The
# objects carry the type names and properties of Microsoft's (Microsoft.FailoverClusters.PowerShell
# Cluster, ClusterNode, ClusterGroup; see ../../cluster-cmdlets.ts for the sources).
Import-Module -Name Hyper-V

function Invoke-StandInCluster([string]$Cmdlet, [hashtable]$Parameters, $Caller) {
    try {
        $json = [Microsoft.HyperV.PowerShell.Lab]::CallJson($Cmdlet, (ConvertTo-Json -InputObject $Parameters -Compress -Depth 4))
    } catch {
        $refusal = $_.Exception.InnerException
        if ($refusal -isnot [Microsoft.HyperV.PowerShell.LabRefusal]) { throw }
        $record = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($refusal.Message), $refusal.ErrorId, $refusal.Category, $refusal.Target)
        $Caller.ThrowTerminatingError($record)
    }
    ConvertFrom-Json -InputObject $json
}

function New-StandInClusterObject([string]$TypeName, $Properties) {
    $object = [pscustomobject]$Properties
    $object.PSObject.TypeNames.Insert(0, "Microsoft.FailoverClusters.PowerShell.$TypeName")
    # Microsoft's cluster objects print as their name (a group's OwnerNode shows the node's name).
    $object | Add-Member -MemberType ScriptMethod -Name ToString -Value { [string]$this.Name } -Force -PassThru
}

function Get-Cluster {
    [CmdletBinding()]
    param()
    $cluster = Invoke-StandInCluster 'Get-Cluster' @{} $PSCmdlet
    New-StandInClusterObject 'Cluster' ([ordered]@{ Name = [string]$cluster.Name })
}

function Get-ClusterNode {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name)
    $parameters = @{}
    if ($PSBoundParameters.ContainsKey('Name')) { $parameters.Name = @($Name) }
    foreach ($node in @(Invoke-StandInCluster 'Get-ClusterNode' $parameters $PSCmdlet)) {
        New-StandInClusterObject 'ClusterNode' ([ordered]@{ Name = [string]$node.Name; State = [string]$node.State; Id = [string]$node.Id; Cluster = [string]$node.Cluster })
    }
}

function Get-ClusterGroup {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name, [Parameter(ValueFromPipelineByPropertyName = $true)][guid]$VMId)
    process {
        $parameters = @{}
        if ($PSBoundParameters.ContainsKey('Name')) { $parameters.Name = @($Name) }
        if ($PSBoundParameters.ContainsKey('VMId')) { $parameters.VMId = $VMId.ToString() }
        foreach ($group in @(Invoke-StandInCluster 'Get-ClusterGroup' $parameters $PSCmdlet)) {
            $owner = New-StandInClusterObject 'ClusterNode' ([ordered]@{ Name = [string]$group.OwnerNode })
            New-StandInClusterObject 'ClusterGroup' ([ordered]@{ Name = [string]$group.Name; OwnerNode = $owner; State = [string]$group.State; GroupType = [string]$group.GroupType; Cluster = [string]$group.Cluster })
        }
    }
}

# A group's resources: Get-ClusterGroup ... | Get-ClusterResource. ResourceType prints as its name, as Microsoft's ClusterResourceType does.
function Get-ClusterResource {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, ValueFromPipeline = $true)]$InputObject)
    process {
        foreach ($resource in @(Invoke-StandInCluster 'Get-ClusterResource' @{ Group = [string]$InputObject.Name } $PSCmdlet)) {
            $type = New-StandInClusterObject 'ClusterResourceType' ([ordered]@{ Name = [string]$resource.ResourceType })
            $owner = New-StandInClusterObject 'ClusterNode' ([ordered]@{ Name = [string]$resource.OwnerNode })
            New-StandInClusterObject 'ClusterResource' ([ordered]@{ Name = [string]$resource.Name; ResourceType = $type; OwnerGroup = [string]$resource.OwnerGroup; OwnerNode = $owner; State = [string]$resource.State; Cluster = [string]$resource.Cluster })
        }
    }
}

# A resource's private property: Get-ClusterResource ... | Get-ClusterParameter -Name MigrationState.
function Get-ClusterParameter {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, ValueFromPipeline = $true)]$InputObject, [Parameter(Position = 0)][string]$Name)
    process {
        foreach ($parameter in @(Invoke-StandInCluster 'Get-ClusterParameter' @{ Resource = [string]$InputObject.Name; Name = $Name } $PSCmdlet)) {
            New-StandInClusterObject 'ClusterParameter' ([ordered]@{ ClusterObject = [string]$parameter.ClusterObject; Name = [string]$parameter.Name; Value = [uint32]$parameter.Value; Type = [string]$parameter.Type })
        }
    }
}
