"""installer.iss against the project: the AppId never changes, the version is
pyproject's, every file it ships exists (or is built), and the data stays outside {app}."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from app import __version__, config

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
    from ui.launcher import APP_MUTEX  # the mutex the app holds while running

    assert setup["AppMutex"] == APP_MUTEX and setup["CloseApplications"] == "yes"


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
    # Uninstall asks before deleting the data, and the default answer keeps it.
    assert "MB_YESNO or MB_DEFBUTTON2" in ISS and "usPostUninstall" in ISS
    # The old bundle is cleared before the new one is copied.
    assert any(e.get("Name") == "{app}\\_internal" for e in entries("InstallDelete"))


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
