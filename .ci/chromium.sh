#!/usr/bin/env bash
# Debian's chromium for the verification page's browser tests (tests/browser/), installed
# when missing and this runs as root, as .ci/pg.sh does for PostgreSQL. Sourced by .ci/run.
chromium_install() {
    if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || true
    fi
    if ! command -v chromium >/dev/null 2>&1; then
        echo "Chromium is not available: the browser tests will be skipped" >&2
    fi
    return 0
}
