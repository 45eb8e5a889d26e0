#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_browser.py), unless it is there.
# Playwright's own browser download is not used: Debian's package is what these machines can
# reach. Safe to run again; quiet when there is nothing to do.
#
#   scripts/install-browser.sh                 # /usr/bin/chromium, via apt-get
#   CHROMIUM=/path/to/chrome scripts/install-browser.sh   # use a browser you already have
set -euo pipefail

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
    exit 0
fi
if [ "$chromium" != /usr/bin/chromium ]; then
    echo "install-browser: CHROMIUM=$chromium is not an executable file." >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; install Chromium yourself and set CHROMIUM to it." >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
fi
echo "install-browser: installing Debian's chromium package (once per machine)..."
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium >/dev/null
"$chromium" --version 2>/dev/null
