#!/usr/bin/env bash
# Makes an OpenSSH server binary available for the PowerShell-remoting suites (the tests start
# their own sshd on a loopback port; nothing system-wide is started or configured). Installs
# Debian's openssh-server when missing and we are root; prints the sshd path.
set -euo pipefail
say() { echo "ensure-sshd: $*" >&2; }
for candidate in "$(command -v sshd 2>/dev/null || true)" /usr/sbin/sshd; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  say "no sshd: install OpenSSH server (Debian: apt-get install openssh-server) to run the remoting suites"
  exit 1
fi
say "installing openssh-server"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends openssh-server >&2
# Debian's package starts a system-wide sshd on port 22 where an init system runs: the tests
# do not need it.
echo /usr/sbin/sshd
