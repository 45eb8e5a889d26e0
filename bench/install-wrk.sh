#!/usr/bin/env bash
# Install Debian's wrk for `make bench`, unless it is there. Safe to run again.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-wrk: no apt-get here; install wrk (https://github.com/wg/wrk) yourself." >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
fi
echo "install-wrk: installing Debian's wrk package (once per machine)..."
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -qq wrk >/dev/null 2>&1 || {
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq wrk >/dev/null
}
