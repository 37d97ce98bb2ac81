#!/usr/bin/env bash
# Makes a Pulumi CLI available and prints the folder to put on PATH.
#
# A `pulumi` already on PATH is used when it is a 3.x release. Otherwise the CLI is compiled from
# its Go module (the only way to get it where release archives cannot be downloaded) and cached
# under ~/.cache, keyed by version, so only the first run pays for the build. The Node.js
# language host and the dynamic-provider launcher are this project's own (scripts/engine-bin):
# the language host's Go module is not served by the module proxy.
set -euo pipefail

version="v3.274.1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${HYPERV_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hyperv-checkpoints/pulumi-$version}"
say() { echo "ensure-pulumi: $*" >&2; }

install_engine_bin() {
  # Copied (not linked) so that the cache does not depend on one checkout; renamed into place so
  # that concurrent runs never see a half-written file.
  local tool
  for tool in language-host.js pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
    cp "$here/engine-bin/$tool" "$cache/bin/.$tool.$$"
    mv -f "$cache/bin/.$tool.$$" "$cache/bin/$tool"
  done
}

# The Automation API of @pulumi/pulumi 3.270 needs a CLI at least that new.
compatible() { "$1" version 2>/dev/null | awk -F. '/^v3\./ { exit !($2 >= 270) } { exit 1 }'; }

if existing="$(command -v pulumi 2>/dev/null)" && [ "${HYPERV_PULUMI_FROM_PATH:-1}" = "1" ]; then
  if compatible "$existing"; then
    dirname "$existing"
    exit 0
  fi
fi

if [ -x "$cache/bin/pulumi" ] && "$cache/bin/pulumi" version 2>/dev/null | grep -qx "$version"; then
  install_engine_bin
  echo "$cache/bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || { say "no pulumi on PATH and no Go toolchain to build one: install Go >= 1.26 or the Pulumi CLI"; exit 1; }
say "building the Pulumi CLI $version from its Go module into $cache (a few minutes on a cold cache)"
mkdir -p "$cache/bin"
start=$(date +%s)
(
  cd "$here/pulumi-cli"
  export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
  go build -v -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$cache/bin/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 \
    | awk '{ n++; if (n % 100 == 0) { printf "ensure-pulumi: compiled %d packages\n", n > "/dev/stderr"; fflush() } }'
)
mv "$cache/bin/pulumi.partial" "$cache/bin/pulumi"
install_engine_bin
say "built $("$cache/bin/pulumi" version) in $(( $(date +%s) - start ))s"
echo "$cache/bin"
