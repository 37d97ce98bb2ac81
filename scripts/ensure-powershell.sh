#!/usr/bin/env bash
# Makes PowerShell 7 (pwsh) available for the PowerShell suites and prints the folder holding it.
#
# A pwsh already on PATH wins; otherwise the .NET global tool (the way PowerShell 7 is served
# where release archives cannot be downloaded) is installed once into ~/.dotnet/tools. The tool is
# a shim that finds the .NET runtime through DOTNET_ROOT, which is also exported for sshd's
# subsystem by the tests.
set -euo pipefail
version="7.6.9"
say() { echo "ensure-powershell: $*" >&2; }

if existing="$(command -v pwsh 2>/dev/null)"; then dirname "$existing"; exit 0; fi
tools="${DOTNET_TOOLS:-$HOME/.dotnet/tools}"
if [ -x "$tools/pwsh" ]; then echo "$tools"; exit 0; fi
command -v dotnet >/dev/null 2>&1 || { say "no pwsh and no .NET SDK to install it: install PowerShell 7 (https://aka.ms/powershell)"; exit 1; }
say "installing PowerShell $version as a .NET global tool"
dotnet tool install --global PowerShell --version "$version" >&2
echo "$tools"
