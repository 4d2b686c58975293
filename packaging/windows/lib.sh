# Shared by build.sh and check-install.sh (sourced, not run): Wine on Debian, a display
# for it, Wine prefixes, and the figures the scripts print.
#
# Wine runs 64-bit Windows programs (CPython, the frozen TapHuan) and 32-bit ones (ISCC,
# Setup, the uninstaller: they need wine32:i386). Every Wine process sees an Xvfb
# display; the prefixes say Windows 10 (the installer's MinVersion) and have no crash
# debugger, so a crash exits instead of waiting for someone to close a dialog.
#
# Exit code 77 means "Wine cannot be had on this machine" (not TapHuan's fault);
# .ci/run reports it in one line and keeps the test suite's result.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${TAPHUAN_WINE_CACHE:-$HOME/.cache/taphuan-wine}
EXIT_NO_WINE=77
# gcc-mingw-w64-x86-64 builds the prefix's bcryptprimitives.dll (wine-shims/).
WINE_PACKAGES=(wine wine64 wine32:i386 libwine libwine:i386 xvfb xauth gcc-mingw-w64-x86-64)

export WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
# No Mono or Gecko installer dialogs (nothing here needs .NET or a browser), no menu
# entries written into the Linux desktop.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
# Wine passes the Unix environment to Windows programs: keep Linux Python's settings
# (PYTHONPATH, pip's find-links to Linux wheels…) away from the Windows ones.
unset PYTHONPATH PYTHONHOME PIP_FIND_LINKS PIP_CONSTRAINT PIP_EXTRA_INDEX_URL PIP_CERT || true

now() { date +%s.%N; }

# figure LABEL VALUE: one line of the figures the scripts end with (also kept in $FIGURES).
FIGURES=""
figure() {
    local line
    line=$(printf '  %-46s %s' "$1" "$2")
    FIGURES+="$line"$'\n'
    printf '%s\n' "$line"
}

# timed LABEL COMMAND…: run it, print how long it took (and fail as it fails).
timed() {
    local label=$1 started
    shift
    started=$(now)
    printf '== %s\n' "$label"
    "$@"
    figure "$label" "$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }')"
}

# mib PATH: the size of a file or folder in MiB.
mib() { du -sb "$1" | awk '{ printf "%.1f MiB", $1 / 1048576 }'; }

fail() {
    printf 'FAILED: %s\n' "$*" >&2
    exit 1
}

_wine_installed() {
    local p
    command -v wine >/dev/null 2>&1 && command -v Xvfb >/dev/null 2>&1 || return 1
    for p in "${WINE_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 1
    done
}

# ensure_wine [EXTRA_DEBIAN_PACKAGE…]: install Wine (and the extras) from Debian when
# missing; exit 77 with one clear line when this machine cannot get them.
ensure_wine() {
    local extra=("$@") missing=() p
    for p in "${extra[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if _wine_installed && [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "Wine is not available (needs root and Debian's apt-get to install: ${WINE_PACKAGES[*]} ${extra[*]}): Windows build skipped" >&2
        exit $EXIT_NO_WINE
    fi
    local release log
    release=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    log=$(mktemp)
    echo "Installing Wine from Debian (${WINE_PACKAGES[*]} ${extra[*]})…" >&2
    {
        dpkg --add-architecture i386 &&
            # An index that fails to download (Debian's i386 security index out of step
            # with amd64) fails the update but not what -t RELEASE then installs.
            { apt-get update -qq || true; } &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                ${release:+-t "$release"} "${WINE_PACKAGES[@]}" "${extra[@]}"
    } >"$log" 2>&1 || {
        tail -n 5 "$log" >&2
        echo "Wine is not available: Debian's registry could not install ${WINE_PACKAGES[*]} ${extra[*]}: Windows build skipped" >&2
        exit $EXIT_NO_WINE
    }
    rm -f "$log"
    _wine_installed || {
        echo "Wine is not available: installed, but wine or wine32:i386 is still missing: Windows build skipped" >&2
        exit $EXIT_NO_WINE
    }
}

# start_display: an Xvfb of our own, stopped (with our Wine servers) when the script ends.
XVFB_PID=""
PREFIXES_USED=()
stop_wine() {
    local prefix
    for prefix in "${PREFIXES_USED[@]}"; do
        WINEPREFIX=$prefix wineserver -k >/dev/null 2>&1 || true
    done
    if [ -n "$XVFB_PID" ]; then
        kill "$XVFB_PID" >/dev/null 2>&1 || true
        wait "$XVFB_PID" 2>/dev/null || true
        rm -rf "$XVFB_FBDIR"
    fi
}

# grab_screen OUT.png: what the display shows now.
grab_screen() { python3 "$HERE/xwd_png.py" "$XVFB_FBDIR/Xvfb_screen0" "$1"; }
XVFB_FBDIR=""
start_display() {
    local fifo number=""
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    XVFB_FBDIR=$(mktemp -d)  # the screen as a file, for grab_screen
    Xvfb -displayfd 9 -screen 0 1280x1024x24 -nolisten tcp -fbdir "$XVFB_FBDIR" \
        9>"$fifo" >/dev/null 2>&1 &
    XVFB_PID=$!
    read -r -t 30 number <"$fifo" || true
    rm -f "$fifo"
    [ -n "$number" ] || fail "Xvfb did not start"
    export DISPLAY=":$number"
    trap stop_wine EXIT
}

# use_prefix DIR: a 64-bit prefix saying Windows 10, with no crash debugger; made once.
use_prefix() {
    export WINEPREFIX=$1
    PREFIXES_USED+=("$1")
    if [ -f "$WINEPREFIX/.taphuan-ready" ]; then
        wine_shims
        return 0
    fi
    rm -rf "$WINEPREFIX"
    mkdir -p "$(dirname "$WINEPREFIX")"
    wineboot -i >/dev/null 2>&1 || fail "wineboot could not make $WINEPREFIX"
    wineserver -w
    wine winecfg /v win10 >/dev/null 2>&1
    wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1
    local view
    for view in 64 32; do
        wine reg delete 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' \
            /v Debugger /f /reg:$view >/dev/null 2>&1 || true
    done
    wineserver -w
    [ "$(wine cmd /c ver 2>/dev/null | tr -d '\r' | grep -o '10\.0\.[0-9]*' | head -n 1)" != "" ] ||
        fail "the Wine prefix $WINEPREFIX does not say Windows 10"
    wine_shims
    touch "$WINEPREFIX/.taphuan-ready"
}

# wine_shims: what Windows 10 has and Wine 8 lacks, into the prefix (never into the
# bundle): bcryptprimitives.dll's ProcessPrng, which cryptography's Rust core imports.
wine_shims() {
    local src=$HERE/wine-shims dll=$CACHE/shims/bcryptprimitives.dll
    if [ ! -f "$dll" ] || [ "$src/bcryptprimitives.c" -nt "$dll" ]; then
        mkdir -p "$CACHE/shims"
        x86_64-w64-mingw32-gcc -O2 -shared -o "$dll" "$src/bcryptprimitives.c" \
            "$src/bcryptprimitives.def" -ladvapi32 ||
            fail "could not build the Wine prefix's bcryptprimitives.dll (gcc-mingw-w64-x86-64)"
    fi
    cp "$dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
}

# winpath /ABSOLUTE/UNIX/PATH: the same file as a Windows program sees it, through the
# Z: drive every prefix maps to / (no Wine call: winepath would start a prefix).
winpath() {
    local path
    path=$(realpath -m "$1")
    printf 'Z:%s\n' "${path//\//\\}"
}

# unixpath 'C:\…': a Windows path of the current prefix as a Unix path.
unixpath() { winepath -u "$1" 2>/dev/null; }

# run_win EXE ARG…: a Windows program, its output through a pipe (Wine writes a
# console program's output there as the program wrote it), its exit code kept.
# Now and then Wine's loader fails to start a program while the previous command's
# wineserver is going away ("ShellExecuteEx failed"): that start is tried once more.
run_win() {
    local log rc
    log=$(mktemp)
    wine "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    if [ "$rc" != 0 ] && grep -q "ShellExecuteEx failed" "$log"; then
        echo "(Wine could not start $1: once more)" >&2
        wineserver -w || true
        wine "$@" 2>&1 | cat
        rc=${PIPESTATUS[0]}
    fi
    rm -f "$log"
    return "$rc"
}
