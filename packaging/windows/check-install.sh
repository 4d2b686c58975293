#!/usr/bin/env bash
# What dist/installer/taphuan-VERSION-setup.exe does on a clean Windows 10 (a new Wine
# prefix each run), after packaging/windows/build.sh:
#
#  0. Setup's first dialog in Vietnamese (a picture in dist/check-install/);
#  1. a silent install (/ALLUSERS: Wine 8 cannot expand {autopf} for a per-user install;
#     per-user stays the default on real PCs) and the installed taphuan-cli --self-test;
#  2. data: a database with a course, and a backup beside it in backups/;
#  3. an upgrade: the same setup.exe again, silently, over it: nothing running, so the
#     AppMutex check lets it through; the data and the backup are still there, the same;
#     a file an older version left in _internal is gone, the new bundle's files are not;
#     then, with the installed taphuan-cli waiting at its password prompt, the silent
#     upgrade and the silent uninstall both refuse ("TapHuan đang chạy") and change
#     nothing; and Setup with /DIR= another folder refuses, naming the installed one;
#     a file where the data folder should be, and an immutable data folder: a Vietnamese
#     reason (exit 3, no hang) and a failing self-test step;
#  4. a screenshot of the installed program's main window showing the data in Vietnamese
#     (offscreen: Wine cannot open Qt's Windows window) in dist/check-install/;
#  5. a silent uninstall (/SUPPRESSMSGBOXES): it must not wait for the "delete the data?"
#     question, and it keeps the data folder;
#  6. installed again, then uninstalled with the question asked (a picture of it) and
#     answered Yes (keys typed into it with xdotool): the data folder goes.
# Then the figures: time of each step, installed size, setup.exe size. Exit 77: no Wine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=$(python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$ROOT/pyproject.toml")
SETUP_EXE=$ROOT/dist/installer/taphuan-$VERSION-setup.exe
OUT=$ROOT/dist/check-install
UNINSTALL_TIMEOUT=300
# Wine turns the Unix command line into Windows text with the locale's encoding: UTF-8
# for the Vietnamese arguments. Its own dialogs' buttons stay English (&Yes, &No).
export LC_ALL=C.UTF-8

setup_args=(/VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS /LANG=vi)

cli() { run_win "$APP_DIR/taphuan-cli.exe" "$@"; }

install() {
    local log=$OUT/$1.log
    run_win "$SETUP_EXE" "${setup_args[@]}" "/LOG=$(winpath "$log")" || fail "setup.exe: exit code $?"
    timeout 120 wineserver -w || fail "setup.exe left processes running"
    grep -q "Installation process succeeded" "$log" || fail "setup.exe: no success in $log"
    for f in taphuan.exe taphuan-cli.exe unins000.exe _internal/migrations licenses; do
        [ -e "$APP_DIR_UNIX/$f" ] || fail "not installed: $APP_DIR\\$f"
    done
}

# Setup's first question, asked by a double click (no switches): for whom to install.
# Its title is one of the messages Vietnamese.isl lacked before (English then).
first_dialog() {
    run_win "$SETUP_EXE" /LANG=vi >/dev/null &
    local setup=$! window="" i
    for i in $(seq 60); do
        window=$(xdotool search --onlyvisible --name "^Chọn kiểu cài đặt$" 2>/dev/null | head -n 1 || true)
        [ -z "$window" ] || break
        sleep 1
    done
    sleep 2
    grab_screen "$OUT/cai-dat-chon-kieu.png"
    wineserver -k  # this prefix's Setup only: nothing is installed yet
    wait "$setup" 2>/dev/null || true
    [ -n "$window" ] || fail "Setup's first dialog is not titled \"Chọn kiểu cài đặt\" (see $OUT/cai-dat-chon-kieu.png)"
}

self_test() {
    local out
    out=$(cli --self-test) || { printf '%s\n' "$out"; fail "installed taphuan-cli --self-test"; }
    printf '%s\n' "$out"
    [ "$(printf '%s\n' "$out" | tr -d '\r' | tail -n 1)" = "Tự kiểm tra: mọi bước đều đạt." ] ||
        fail "the self-test's last line is not a pass"
}

TITLE="Kỹ năng số cho Tổ công nghệ số cộng đồng"
create_data() {
    cli init >/dev/null || fail "taphuan-cli init"
    cli course add --code KT-0001 --title "$TITLE" --start 2026-03-02 --end 2026-03-04 ||
        fail "taphuan-cli course add"
    mkdir -p "$DATA_DIR_UNIX/backups"
    cli backup "$DATA_DIR\\backups\\truoc-nang-cap.db" || fail "taphuan-cli backup"
    data_fingerprint >"$OUT/data-before-upgrade.txt"
}

# The data folder's files and their SHA-256 (the program does not run during an upgrade).
data_fingerprint() { (cd "$DATA_DIR_UNIX" && find . -type f ! -name 'tu-kiem-tra.txt' -print0 | sort -z | xargs -0 sha256sum); }

# The files of the installed program and their SHA-256.
app_fingerprint() { (cd "$APP_DIR_UNIX" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

upgrade() {
    # What an older version left in its bundle goes, after the new files are in place.
    echo "TapHuan cũ" >"$APP_DIR_UNIX/_internal/tep-cua-ban-cu.txt"
    install upgrade
    [ ! -e "$APP_DIR_UNIX/_internal/tep-cua-ban-cu.txt" ] || fail "the upgrade left an older version's file in _internal"
    [ -f "$APP_DIR_UNIX/_internal/base_library.zip" ] || fail "the upgrade deleted the new bundle's files"
    [ ! -e "$APP_DIR_UNIX/unins001.exe" ] || fail "the upgrade was installed beside, not over (unins001.exe)"
    data_fingerprint >"$OUT/data-after-upgrade.txt"
    diff "$OUT/data-before-upgrade.txt" "$OUT/data-after-upgrade.txt" || fail "the upgrade changed the data"
    grep -q "backups/truoc-nang-cap.db" "$OUT/data-after-upgrade.txt" || fail "no backup after the upgrade"
    cli course list | tee "$OUT/course-list.txt"
    grep -q "$TITLE" "$OUT/course-list.txt" || fail "the course is not listed in Vietnamese after the upgrade"
}

# refused WHAT LOG MESSAGE EXE ARG…: a silent Setup or uninstaller that must refuse: a
# non-zero exit code and MESSAGE in its log. Its output goes to a file, not a pipe: while
# another program keeps the Wine session up, the explorer.exe Setup starts inherits the
# pipe and stays, and a reader of the pipe would wait for ever.
refused() {
    local what=$1 log=$2 message=$3 code=0
    shift 3
    wine "$@" "/LOG=$(winpath "$log")" >"$log.out" 2>&1 </dev/null || code=$?
    [ "$code" != 0 ] || fail "$what was not refused (exit code 0)"
    grep -qF "$message" "$log" || fail "$what: no \"$message\" in $log"
    echo "$what: refused, exit code $code (\"$message\")"
}

# The installed taphuan-cli waiting at its password prompt (a terminal through `script`,
# its input a pipe that stays open) holds the running-app mutex as the window does: a
# silent upgrade (which would delete and replace the bundle under it) and a silent
# uninstall both refuse, and nothing changes. Then the CLI is stopped: the program still
# passes its self-test and the data are the same.
running_refusals() {
    local waiting=$OUT/cli-dang-cho.txt command script_pid i
    data_fingerprint >"$OUT/data-before-refusals.txt"
    app_fingerprint >"$OUT/app-before-refusals.txt"
    mkfifo "$WORK/cli-input"
    command="wine $(printf '%q' "$APP_DIR_UNIX/taphuan-cli.exe") --user quantri course list"
    script -qfec "$command" "$waiting" <"$WORK/cli-input" >/dev/null 2>&1 &
    script_pid=$!
    exec 7>"$WORK/cli-input"  # its input stays open: the prompt waits
    # Wine's console draws the prompt a letter at a time between cursor codes.
    prompted() { sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$waiting" 2>/dev/null | grep -q "khẩu:"; }
    for i in $(seq 90); do
        prompted && break
        sleep 1
    done
    prompted || fail "taphuan-cli did not wait at its password prompt (see $waiting)"
    refused "the silent upgrade while taphuan-cli runs" "$OUT/upgrade-while-running.log" \
        "TapHuan đang chạy" "$SETUP_EXE" "${setup_args[@]}"
    refused "the silent uninstall while taphuan-cli runs" "$OUT/uninstall-while-running.log" \
        "TapHuan đang chạy" "$APP_DIR/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
    sleep 5  # an uninstaller that went ahead would be deleting files by now
    wineserver -k  # this prefix's processes: the waiting taphuan-cli
    exec 7>&-
    kill "$script_pid" 2>/dev/null || true
    wait "$script_pid" 2>/dev/null || true
    rm -f "$WORK/cli-input"
    app_fingerprint >"$OUT/app-after-refusals.txt"
    diff -q "$OUT/app-before-refusals.txt" "$OUT/app-after-refusals.txt" >/dev/null ||
        fail "a refused upgrade or uninstall changed the installed files (diff $OUT/app-*-refusals.txt)"
    self_test
    cli course list >/dev/null || fail "taphuan-cli course list after the refusals"
    data_fingerprint >"$OUT/data-after-refusals.txt"
    diff "$OUT/data-before-refusals.txt" "$OUT/data-after-refusals.txt" || fail "the refusals changed the data"
}

# Setup with /DIR= another folder while TapHuan is installed: a second copy would share
# the uninstall entry and shortcuts (uninstalling either breaks the other): refused,
# naming the installed folder, nothing written there.
other_folder() {
    local other='C:\TapHuan khác'
    refused "Setup /DIR=$other over an install" "$OUT/other-folder.log" \
        "TapHuan đã được cài trong thư mục $APP_DIR." "$SETUP_EXE" "${setup_args[@]}" "/DIR=$other"
    timeout 120 wineserver -w || fail "setup.exe left processes running"
    [ ! -e "$WINEPREFIX/drive_c/TapHuan khác" ] || fail "Setup wrote into $other"
    self_test
}

# A file where the data folder goes (TAPHUAN_DATA_DIR moves it, Wine passes it on): a
# command says why in Vietnamese (exit 3), the self-test fails on its data folder step.
data_folder_taken() {
    local taken='C:\du-lieu-bi-chiem' out code=0
    echo "một tệp, không phải thư mục" >"$WINEPREFIX/drive_c/du-lieu-bi-chiem"
    out=$(TAPHUAN_DATA_DIR=$taken cli init 2>&1) || code=$?
    printf '%s\n' "$out"
    [ "$code" = 3 ] || fail "taphuan-cli init with a file as its data folder: exit code $code, not 3"
    printf '%s\n' "$out" | grep -qF "Lỗi: Không tạo được thư mục $taken: đã có tệp trùng tên." ||
        fail "no Vietnamese reason for a file where the data folder goes"
    code=0
    out=$(TAPHUAN_DATA_DIR=$taken cli --self-test 2>&1) || code=$?
    [ "$code" = 1 ] || { printf '%s\n' "$out"; fail "the self-test passed with a file as its data folder"; }
    printf '%s\n' "$out" | grep -F "LỖI  Thư mục dữ liệu tạo và ghi được: Không tạo được thư mục dữ liệu $taken: đã có tệp trùng tên." ||
        fail "the self-test's data folder step does not say why"
    rm -f "$WINEPREFIX/drive_c/du-lieu-bi-chiem"
}

# The data folder made immutable (chattr +i, as root): Windows refuses every new file in it
# although os.access says writable, and tempfile then tried 2**31 names (a hang). Now a
# command says why and exits 3, within the time limit.
data_folder_immutable() {
    local out code=0
    if [ "$(id -u)" != 0 ] || ! chattr +i "$DATA_DIR_UNIX" 2>/dev/null; then
        echo "skipped: needs root and chattr +i on this file system"
        return 0
    fi
    out=$(timeout 120 wine "$APP_DIR_UNIX/taphuan-cli.exe" course list 2>&1 | tr -d '\r') || code=$?
    chattr -i "$DATA_DIR_UNIX"
    printf '%s\n' "$out"
    [ "$code" != 124 ] || { wineserver -k; fail "taphuan-cli course list hangs on an immutable data folder"; }
    [ "$code" = 3 ] || fail "taphuan-cli course list on an immutable data folder: exit code $code, not 3"
    printf '%s\n' "$out" | grep -qF "chỉ cho đọc: TapHuan cần quyền ghi ở đó" ||
        fail "no Vietnamese reason for an immutable data folder"
}

screenshot() {
    local png=$OUT/taphuan-windows.png
    rm -f "$png"
    qt_qpa_platform=offscreen run_win "$APP_DIR/taphuan.exe" --page khoa-hoc --screenshot "$(winpath "$png")" ||
        fail "taphuan.exe --screenshot"
    [ "$(stat -c %s "$png" 2>/dev/null || echo 0)" -gt 20000 ] || fail "no screenshot in $png"
    echo "screenshot: $png"
}

# uninstall SWITCH…: run the uninstaller; a hang (a question nobody answers) is a failure.
uninstall() {
    run_win "$APP_DIR/unins000.exe" "$@" || fail "unins000.exe: exit code $?"
    # The uninstaller runs a copy of itself from %TEMP%: wait for every Windows process.
    timeout "$UNINSTALL_TIMEOUT" wineserver -w ||
        fail "the uninstall did not end within $UNINSTALL_TIMEOUT s (waiting for an answer?)"
    [ ! -e "$APP_DIR_UNIX/taphuan.exe" ] || fail "taphuan.exe is still installed"
}

silent_uninstall() {
    uninstall /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
    [ -f "$DATA_DIR_UNIX/taphuan.db" ] && [ -f "$DATA_DIR_UNIX/backups/truoc-nang-cap.db" ] ||
        fail "a silent uninstall deleted the data"
}

# The question asked (no /SUPPRESSMSGBOXES) and answered Yes with the keyboard.
answered_uninstall() {
    install reinstall
    run_win "$APP_DIR/unins000.exe" /SILENT /NORESTART &
    local uninstaller=$! window="" i
    # The question comes after the files are removed, titled "Gỡ cài đặt" (the progress
    # window is "Gỡ cài đặt TapHuan").
    for i in $(seq 120); do
        window=$(xdotool search --onlyvisible --name "^Gỡ cài đặt$" 2>/dev/null | head -n 1 || true)
        [ -z "$window" ] || break
        sleep 1
    done
    [ -n "$window" ] || { kill "$uninstaller" 2>/dev/null; fail "the uninstaller asked nothing"; }
    sleep 2
    grab_screen "$OUT/go-cai-dat-hoi-xoa-du-lieu.png"
    xdotool windowactivate --sync "$window" 2>/dev/null || xdotool windowfocus --sync "$window"
    xdotool key --clearmodifiers y
    wait "$uninstaller" || fail "unins000.exe /SILENT: exit code $?"
    timeout "$UNINSTALL_TIMEOUT" wineserver -w || fail "the uninstall did not end after the answer"
    [ ! -e "$DATA_DIR_UNIX" ] || fail "answered Yes, but the data folder is still there"
}

main() {
    [ -f "$SETUP_EXE" ] || fail "no $SETUP_EXE: run packaging/windows/build.sh first"
    local started
    started=$(now)
    timed "Wine and xdotool (Debian)" ensure_wine xdotool
    start_display
    WORK=$(mktemp -d)
    trap 'stop_wine; rm -rf "$WORK"' EXIT
    rm -rf "$OUT" && mkdir -p "$OUT"
    timed "a clean Windows 10 prefix" use_prefix "$WORK/prefix"
    APP_DIR='C:\Program Files\TapHuan'
    APP_DIR_UNIX=$WINEPREFIX/drive_c/Program\ Files/TapHuan
    DATA_DIR="$(wine cmd /c echo %LOCALAPPDATA% 2>/dev/null | tr -d '\r')\\TapHuan"
    DATA_DIR_UNIX=$WINEPREFIX/drive_c/${DATA_DIR#C:\\}
    DATA_DIR_UNIX=${DATA_DIR_UNIX//\\//}
    timed "Setup's first dialog, in Vietnamese" first_dialog
    timed "silent install" install install
    timed "installed taphuan-cli --self-test" self_test
    timed "data: init, a course, a backup" create_data
    timed "upgrade: the same setup.exe over it" upgrade
    timed "taphuan-cli running: upgrade and uninstall refused" running_refusals
    timed "Setup into another folder: refused" other_folder
    timed "a file where the data folder goes" data_folder_taken
    timed "an immutable data folder (chattr +i)" data_folder_immutable
    figure "installed size ($APP_DIR)" "$(mib "$APP_DIR_UNIX")"
    timed "screenshot of the installed program" screenshot
    timed "silent uninstall (keeps the data)" silent_uninstall
    timed "install, uninstall answering Yes (deletes the data)" answered_uninstall
    echo "== figures"
    figure "setup.exe ($(basename "$SETUP_EXE"))" "$(mib "$SETUP_EXE")"
    figure "whole check" "$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }')"
    echo "Install, upgrade and uninstall checked: $SETUP_EXE"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
