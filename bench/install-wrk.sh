#!/usr/bin/env bash
# Install Debian's wrk for `make bench`, unless it is there. Safe to run again.
set -euo pipefail
command -v wrk >/dev/null && exit 0
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
$sudo apt-get install -y -qq wrk || { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk; }
