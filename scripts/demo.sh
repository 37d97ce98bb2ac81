#!/usr/bin/env bash
# The demo (`npm start`, `npm run demo:destroy`): the stack in Pulumi.yaml (examples/quickstart)
# against a simulated Hyper-V host in a folder, on a local file backend, without prompts.
#
#   scripts/demo.sh up        create the sample host if absent, `pulumi up --refresh` (repairs drift),
#                             say what changed on the host, show the host
#   scripts/demo.sh destroy   `pulumi destroy`: the VMs get back the settings they had
#   scripts/demo.sh show      show the host's VMs and checkpoint trees
#
# Runs under scripts/with-pulumi.sh (pulumi on PATH) after `npm run build`. Where things live can be
# moved with environment variables (the tests use them to run the demo on throw-away folders):
#   HYPERV_DEMO_LAB    the simulated host's folder     (default: <repo>/.hyperv-lab)
#   HYPERV_DEMO_STATE  the Pulumi state folder         (default: <repo>/.pulumi-state)
#   HYPERV_DEMO_STACK  the stack's name                (default: demo)
#   PULUMI_CONFIG_PASSPHRASE  encrypts the stack's secrets (default: a fixed demo passphrase)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
action="${1:-up}"
lab="$(realpath -m "${HYPERV_DEMO_LAB:-$repo/.hyperv-lab}")"
state="$(realpath -m "${HYPERV_DEMO_STATE:-$repo/.pulumi-state}")"
stack="${HYPERV_DEMO_STACK:-demo}"
lab_cli=(node "$repo/dist/provider/lab/cli/main.js" --lab "$lab")

export PULUMI_BACKEND_URL="file://$state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-hyperv-checkpoints-demo}"
export PULUMI_SKIP_UPDATE_CHECK=true
# The engine and the programs run without a terminal to answer prompts: fail instead of asking.
export CI=true

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -f "$repo/dist/provider/lab/cli/main.js" ]; then
    echo "demo: $repo/dist is missing; run 'npm run build' first (npm start does)" >&2
    exit 1
fi

# The program imports the package by name, as a user's program does. In this checkout the package
# is the repository itself: link it into the program's node_modules (ignored by git).
link_package() {
    local modules="$repo/examples/quickstart/node_modules"
    mkdir -p "$modules"
    if [ "$(readlink "$modules/hyperv-checkpoints" 2>/dev/null)" != "../../.." ]; then
        rm -rf "$modules/hyperv-checkpoints"
        ln -s ../../.. "$modules/hyperv-checkpoints"
    fi
}

select_stack() {
    mkdir -p "$state"
    cd "$repo"
    pulumi stack select --create "$stack" --non-interactive >/dev/null
    # The dynamic provider runs in the program's folder; an absolute path works from anywhere.
    pulumi config set --stack "$stack" hyperv:host "lab:$lab" --non-interactive
}

case "$action" in
    up)
        if [ ! -f "$lab/lab.journal" ] && [ ! -f "$lab/host.json" ]; then
            say "Creating a sample Hyper-V host in $lab"
            "${lab_cli[@]}" init --sample
        fi
        say "The host before"
        "${lab_cli[@]}" show
        link_package
        select_stack
        # A stack that already manages the host: what this `up` changes is drift it repairs.
        managed=0
        if pulumi stack export --stack "$stack" | grep '"type": "pulumi-nodejs:dynamic/hyperv:' >/dev/null; then managed=1; fi
        before="$(mktemp)"
        trap 'rm -f "$before"' EXIT
        node "$repo/scripts/demo-changes.js" snapshot "$lab" "$before"
        say "pulumi up --refresh (stack $stack, state in $state)"
        # --refresh: read the host first, so a setting changed by hand since the last run is seen as
        # drift and put back; without it the engine compares against its last record and sees nothing.
        pulumi up --stack "$stack" --yes --non-interactive --skip-preview --refresh </dev/null
        if [ "$managed" = 1 ]; then
            title="Drift repaired: changed on the host since the last run, put back as the stack declares"
        else
            title="What this run changed on the host"
        fi
        say "What changed"
        node "$repo/scripts/demo-changes.js" report "$lab" "$before" "$title"
        say "The host after"
        "${lab_cli[@]}" show
        echo
        echo "Run 'npm start' again: nothing changes, unless the host was changed by hand: that is put back."
        echo "'npm run demo:destroy' puts the host back as it was before the demo."
        ;;
    destroy)
        if [ ! -f "$lab/lab.journal" ] && [ ! -f "$lab/host.json" ]; then
            echo "demo: no simulated host in $lab: nothing to destroy" >&2
            exit 0
        fi
        link_package
        select_stack
        say "pulumi destroy (stack $stack)"
        pulumi destroy --stack "$stack" --yes --non-interactive --skip-preview </dev/null
        say "The host after destroy"
        "${lab_cli[@]}" show
        ;;
    show)
        "${lab_cli[@]}" show
        ;;
    *)
        echo "usage: scripts/demo.sh up|destroy|show" >&2
        exit 2
        ;;
esac
