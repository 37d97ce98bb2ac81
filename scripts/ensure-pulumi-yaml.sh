#!/usr/bin/env bash
# Makes Pulumi YAML's language host (pulumi-language-yaml) available and prints the folder to put
# on PATH, where the engine looks for it. There is no Go toolchain or module proxy here, so it comes
# prebuilt from ../shared/tools (see its README), unpacked once into a cache keyed by version.
set -euo pipefail
version="v1.25.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${HYPERV_SHARED_TOOLS:-$here/../../shared/tools}"
cache="${HYPERV_PULUMI_YAML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hyperv-checkpoints/pulumi-language-yaml-$version}"
if [ -x "$cache/bin/pulumi-language-yaml" ]; then
  echo "$cache/bin"; exit 0
fi
archive="$tools/pulumi-language-yaml-$version-linux-x64.tar.xz"
[ -f "$archive" ] || { echo "ensure-pulumi-yaml: $archive not found: Pulumi YAML programs cannot run" >&2; exit 1; }
mkdir -p "$cache/bin"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
tar -xJf "$archive" -C "$tmp"
chmod +x "$tmp/pulumi-language-yaml-$version/pulumi-language-yaml"
# Renamed into place, so that concurrent runs never see a half-written file.
mv -f "$tmp/pulumi-language-yaml-$version/pulumi-language-yaml" "$cache/bin/pulumi-language-yaml"
echo "$cache/bin"
