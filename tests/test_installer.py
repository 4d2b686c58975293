"""installer.iss against the project: the AppId never changes, the version is
pyproject's, every file it ships exists (or is built), and the data stays outside {app}."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path

import pytest

from app import __version__, config, running

ROOT = Path(__file__).resolve().parents[1]
ISS_BYTES = (ROOT / "installer.iss").read_bytes()
ISS = ISS_BYTES.decode("utf-8-sig")
APP_ID = "{{8E1086E2-CC1F-48CD-BB11-E18E34449DD3}"  # for ever: upgrades depend on it
BUILT = ("dist\\taphuan\\",)  # made by packaging/build.py; tests/test_bundle.py builds it


def section(name: str) -> list[str]:
    m = re.search(rf"^\[{name}\]\s*$(.*?)(?=^\[|\Z)", ISS, re.M | re.S)
    assert m, name
    return [line for line in m.group(1).splitlines() if line.strip() and not line.startswith(";")]


def entries(name: str) -> list[dict[str, str]]:
    out = []
    for line in section(name):
        fields = dict(
            (k.strip(), v.strip().strip('"'))
            for k, v in (part.split(":", 1) for part in line.split(";") if ":" in part)
        )
        out.append(fields)
    return out


def test_app_id_and_version() -> None:
    assert ISS_BYTES.startswith(b"\xef\xbb\xbf")  # Unicode for Inno Setup (Vietnamese text)
    setup = dict(line.split("=", 1) for line in section("Setup") if "=" in line)
    assert setup["AppId"] == APP_ID
    default = re.search(r'#define AppVersion "([^"]+)"', ISS)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert default and default.group(1) == pyproject["project"]["version"] == __version__
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["PrivilegesRequiredOverridesAllowed"] == "dialog"
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert setup["ArchitecturesAllowed"] == "x64compatible"
    # The mutexes both programs hold while running (app/running.py): Global\ and local.
    assert sorted(setup["AppMutex"].split(",")) == sorted(running.MUTEX_NAMES)
    assert setup["CloseApplications"] == "yes"


def test_every_shipped_file_exists_or_is_built() -> None:
    for entry in entries("Files"):
        source = entry["Source"]
        if source.startswith(BUILT):
            continue  # checked against a real build in tests/test_bundle.py
        assert (ROOT / source.replace("\\", "/")).exists(), source
    for entry in entries("Languages"):
        messages = entry["MessagesFile"]
        if not messages.startswith("compiler:"):
            assert (ROOT / messages.replace("\\", "/")).exists(), messages
    setup = dict(line.split("=", 1) for line in section("Setup") if "=" in line)
    for key in ("SetupIconFile", "LicenseFile"):
        assert (ROOT / setup[key].replace("\\", "/")).exists(), key


def test_the_data_folder_is_never_under_the_install_folder() -> None:
    # platformdirs.user_data_dir("TapHuan", False) is %LOCALAPPDATA%\TapHuan on Windows.
    source = (ROOT / "app" / "paths.py").read_text(encoding="utf-8")
    assert "platformdirs.user_data_dir(APP_NAME, False)" in source and config.APP_NAME == "TapHuan"
    assert "ExpandConstant('{localappdata}\\TapHuan')" in ISS
    for entry in entries("Files") + entries("Icons"):
        dest = entry.get("DestDir", "")
        assert not re.search(r"taphuan\.db|backups", dest, re.I), entry
    # Uninstall asks before deleting the data, and the default answer keeps it; a silent
    # uninstall (/SUPPRESSMSGBOXES) gets the answer No instead of waiting for a click that
    # never comes (MsgBox ignores the switch). packaging/windows/check-install.sh runs both.
    code = ISS.split("[Code]", 1)[1]
    assert "usPostUninstall" in code
    assert "SuppressibleMsgBox(" in code and "MB_YESNO or MB_DEFBUTTON2, IDNO)" in code
    assert not re.search(r"(?<!Suppressible)MsgBox\(", code)


def test_vietnamese_messages_are_complete_enough_and_unicode() -> None:
    isl = ROOT / "packaging" / "languages" / "Vietnamese.isl"
    raw = isl.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Inno Setup reads it as Unicode
    text = raw.decode("utf-8-sig")
    keys = [
        line.split("=", 1)[0]
        for line in text.splitlines()
        if "=" in line and not line.startswith(";")
    ]
    assert len(keys) == len(set(keys))
    for key in ("LanguageID", "ButtonNext", "ButtonCancel", "WelcomeLabel1", "SelectDirDesc",
                "PrivilegesRequiredOverrideCurrentUser", "ConfirmUninstall", "CreateDesktopIcon",
                "LaunchProgram", "UninstallProgram", "ApplicationsFound2"):  # fmt: skip
        assert key in keys, key
    assert "Chào mừng bạn đến với trình cài đặt [name]" in text
    assert (ROOT / "packaging" / "languages" / "LICENSE-Vietnamese-isl.txt").exists()


def isl_names(path: Path) -> dict[str, str]:
    """Message name -> its section, of an Inno Setup messages file."""
    names: dict[str, str] = {}
    section = ""
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line:
            names[line.split("=", 1)[0]] = section
    return names


def inno_setup_default_isl() -> Path | None:
    """Default.isl of the npm package innosetup 6.4.1, where packaging/windows/build.sh
    keeps it (or TAPHUAN_INNOSETUP_DIR)."""
    cache = Path(os.environ.get("TAPHUAN_WINE_CACHE", Path.home() / ".cache" / "taphuan-wine"))
    for folder in (os.environ.get("TAPHUAN_INNOSETUP_DIR"), cache / "innosetup-6.4.1"):
        if folder and (Path(folder) / "Default.isl").is_file():
            return Path(folder) / "Default.isl"
    return None


def test_vietnamese_messages_are_exactly_inno_setups() -> None:
    """No name ISCC does not know (ignored, with a warning), none missing (shown in English,
    with a warning): the wizard is all Vietnamese. The compile with zero warnings in
    packaging/windows/build.sh is the proof; this says which name is wrong."""
    default = inno_setup_default_isl()
    if default is None:
        pytest.skip(
            "Inno Setup's Default.isl is not here: packaging/windows/build.sh fetches it "
            "(npm package innosetup 6.4.1) into ~/.cache/taphuan-wine"
        )
    english = isl_names(default)
    vietnamese = isl_names(ROOT / "packaging" / "languages" / "Vietnamese.isl")
    assert sorted(set(vietnamese) - set(english)) == [], "unknown to Inno Setup"
    assert sorted(set(english) - set(vietnamese)) == [], "missing: English in the wizard"
    assert vietnamese == english  # each in its section


def test_an_installer_compile_passes_only_without_warnings_and_when_iscc_says_so() -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    import build

    good = "Preprocessing\nParsing [Setup] section, line 20\n\nSuccessful compile (9.1 sec).\n"
    assert build.installer_problems(good) == []
    warned = (
        'Warning: A message named "FileExists2" has not been defined for the "vi" language.'
        " Will use the English message from Default.isl.\n" + good
    )
    assert build.installer_problems(warned) == [warned.splitlines()[0]]
    # ISCC under Wine without wine32:i386: no output at all, exit code 0.
    assert build.installer_problems("") == ["ISCC did not say 'Successful compile'"]


def pascal_function(code: str, name: str) -> str:
    """The text of one function or procedure of [Code], up to the next one."""
    m = re.search(rf"^(?:function|procedure) {name}\b(.*?)(?=^(?:function|procedure) |\Z)",
                  code, re.M | re.S)  # fmt: skip
    assert m, name
    return m.group(0)


def test_nothing_is_deleted_or_replaced_while_taphuan_runs() -> None:
    """A silent upgrade while taphuan-cli ran deleted {app}\\_internal ([InstallDelete]),
    then failed on the locked exe: a broken install. Setup and the uninstaller refuse at
    start (AppMutex), PrepareToInstall looks again just before the installation, and an
    older version's files go only after the new ones are in place."""
    code = ISS.split("[Code]", 1)[1]
    setup = dict(line.split("=", 1) for line in section("Setup") if "=" in line)
    assert f"AppMutexes = '{setup['AppMutex']}';" in code
    prepare = pascal_function(code, "PrepareToInstall")
    assert "CheckForMutexes(AppMutexes)" in prepare and "CustomMessage('AppRunning')" in prepare
    messages = dict(line.split("=", 1) for line in section("CustomMessages"))
    assert messages["vi.AppRunning"].startswith("TapHuan đang chạy (cửa sổ TapHuan hoặc lệnh ")
    assert "Chưa có gì bị thay đổi." in messages["vi.AppRunning"]
    # No [InstallDelete] of the bundle before the copy; stale files after it instead.
    assert not re.search(r"^\[InstallDelete\]", ISS, re.M)
    bundle = next(e for e in entries("Files") if e["DestDir"] == "{app}\\_internal")
    assert bundle["AfterInstall"] == "RememberInstalled"
    after = pascal_function(code, "CurStepChanged")
    assert "ssPostInstall" in after and "DeleteStale(" in after
    assert "ssInstall" not in after.replace("ssPostInstall", "")


def test_a_second_copy_in_another_folder_is_refused() -> None:
    """Setup /DIR= another folder over an install left an orphan whose uninstaller took
    the good copy's entry and shortcuts: refused, naming the installed folder."""
    code = ISS.split("[Code]", 1)[1]
    guid = APP_ID[1:]  # the AppId without the brace that escapes it in [Setup]
    assert f"CurrentVersion\\Uninstall\\{guid}_is1'" in code
    other = pascal_function(code, "OtherInstallFolder")
    assert "InstalledIn(HKLM)" in other and "InstalledIn(HKCU)" in other
    prepare = pascal_function(code, "PrepareToInstall")
    assert "CustomMessage('OtherFolder'), [RemoveBackslash(Other)]" in prepare
    messages = dict(line.split("=", 1) for line in section("CustomMessages"))
    assert messages["vi.OtherFolder"].startswith("TapHuan đã được cài trong thư mục %1. ")
    assert set(messages) >= {"en.OtherFolder", "en.AppRunning"}
