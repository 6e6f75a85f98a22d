#!/usr/bin/env bash
# Make sure Debian's Chromium (and a font with Arabic shaping) is present for the browser
# tests. Playwright's own browser download cannot work here (no network but package
# registries), so the tests drive /usr/bin/chromium from the distribution instead.
# Idempotent: does nothing when /usr/bin/chromium exists. Never fails the build: without
# Chromium the browser tests skip themselves with a reason.
set -euo pipefail

# chromium: the browser the Playwright tests launch.
# fonts-noto-core: Noto Sans (Latin) and Noto Sans/Naskh Arabic, so Arabic titles are
# shaped in screenshots instead of drawn as boxes.
PACKAGES=(chromium fonts-noto-core)

if [ -x /usr/bin/chromium ]; then
    echo "ensure_chromium: /usr/bin/chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: no apt-get on this machine; install Chromium at /usr/bin/chromium" \
        "yourself, otherwise the browser tests will be SKIPPED." >&2
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "ensure_chromium: not root and no password-less sudo; run" \
            "'apt-get install ${PACKAGES[*]}' as root, otherwise the browser tests will be SKIPPED." >&2
        exit 0
    fi
fi

echo "ensure_chromium: installing ${PACKAGES[*]} with apt-get"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
if "${SUDO[@]}" apt-get update -q >/dev/null \
    && "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
    echo "ensure_chromium: done in $(($(date +%s) - start)) s: $(/usr/bin/chromium --version 2>/dev/null || true)"
else
    echo "ensure_chromium: apt-get failed; the browser tests will be SKIPPED." >&2
fi
