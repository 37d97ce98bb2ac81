#!/usr/bin/env bash
# Runs a command with the Pulumi engine ready: the CLI (built once if needed), this project's
# language host and dynamic-provider launcher, Node 24 from node_modules, no update checks and no
# Pulumi Cloud: stacks use a local file backend.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli_dir="$(bash "$repo/scripts/ensure-pulumi.sh")"
# Pulumi YAML's language host, for the YAML examples and tests, when this machine has it (CI installs it: .ci/run).
if yaml_dir="$(bash "$repo/scripts/ensure-pulumi-yaml.sh" 2>/dev/null)"; then cli_dir="$cli_dir:$yaml_dir"; fi
export PATH="$cli_dir:$repo/node_modules/.bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK="${PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK:-false}"
exec "$@"
