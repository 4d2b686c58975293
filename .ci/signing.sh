#!/usr/bin/env bash
# The ký số tests' outside tools: SoftHSM2 (a real PKCS#11 token) and poppler's pdfsig,
# pdftoppm. Sourced by .ci/run; installed from Debian when missing and run as root,
# otherwise the tests that need them skip with a reason.
signing_tools() {
    local missing=()
    [ -f /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
    command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
    if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = 0 ]; then
        apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || true
    fi
    [ -f /usr/lib/softhsm/libsofthsm2.so ] || echo "SoftHSM2 is not available: the token tests will be skipped" >&2
    command -v pdfsig >/dev/null 2>&1 || echo "pdfsig is not available: its agreement tests will be skipped" >&2
    return 0
}
