"""Issue 16: every command a message tells someone to run is written for the database in
use, so that copying it works: `taphuan` for the default database, `taphuan --demo` for
the demo (today's "chạy 'taphuan init'" on the demo made a second, empty database), and
`taphuan --db "<file>"` for any other file. Each hint is checked on the three; each
refusal writes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from app import commands, paths
from tests.app.clirun import run
from tests.app.hostile import build_base
from tests.app.test_cli_safety import corrupt_a_table


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    built = build_base(tmp_path_factory.mktemp("hints"))
    with closing(sqlite3.connect(built.db)) as con:
        names = {"serial": con.execute("SELECT serial FROM certificates").fetchone()[0]}
    return built.db, names


# Where the database is: the argv choosing it, and the command the hints must name.
PLACES: dict[str, Callable[[Path], tuple[Path, list[str], str]]] = {
    "demo": lambda _tmp: (paths.demo_db_path(), ["--demo"], "taphuan --demo"),
    "default": lambda _tmp: (paths.default_db_path(), [], "taphuan"),
    "--db": lambda tmp: (
        tmp / "Dữ liệu khác" / "tap huan.db",
        ["--db", str(tmp / "Dữ liệu khác" / "tap huan.db")],
        f'taphuan --db "{tmp / "Dữ liệu khác" / "tap huan.db"}"',
    ),
}


@pytest.fixture(params=list(PLACES))
def place(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, list[str], str]:
    return PLACES[request.param](tmp_path)


def _copy(base: tuple[Path, dict[str, str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(base[0])) as src, closing(sqlite3.connect(path)) as dest:
        src.backup(dest)
    return path


def digest(path: Path) -> str:
    """What the file holds, its write-ahead log included (a checkpoint may move pages
    between the two without changing anything); a malformed file: its bytes."""
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
            return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    except sqlite3.DatabaseError:
        return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> str:
    """Run a command that is refused: exit 3, nothing written; its message."""
    before = digest(path)
    code, out, err = run(capsys, *argv)
    assert code == 3, out + err
    assert digest(path) == before
    return err


def test_no_database_yet_names_the_command_that_makes_this_one(
    place: tuple[Path, list[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, where, expected = place
    code, _out, err = run(capsys, *where, "course", "list")
    assert code == 3 and f"Chưa có cơ sở dữ liệu tại {path}" in err
    if expected == "taphuan --demo":  # the demo is filled, not made empty
        assert "“taphuan --demo demo”" in err and "taphuan init" not in err
    else:
        assert f"“{expected} init”" in err
    assert not path.exists()


def test_a_database_to_upgrade(
    place: tuple[Path, list[str], str],
    base: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, where, expected = place
    with closing(sqlite3.connect(_copy(base, path))) as con, con:
        con.execute("UPDATE alembic_version SET version_num = '0009'")
    err = _refused(capsys, path, *where, "check")
    assert f"Hãy chạy “{expected} init” để nâng cấp." in err


def test_a_corrupt_database(
    place: tuple[Path, list[str], str],
    base: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, where, expected = place
    corrupt_a_table(_copy(base, path))
    err = _refused(capsys, path, *where, "course", "add", "--code", "TH-2026-050",
                   "--title", "Tập huấn", "--start", "02/03/2026", "--end", "06/03/2026")  # fmt: skip
    assert f"hãy khôi phục bằng “{expected} restore TỆP_SAO_LƯU”" in err


def test_a_person_not_enrolled(
    place: tuple[Path, list[str], str],
    base: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, where, expected = place
    _copy(base, path)
    with closing(sqlite3.connect(path)) as con:
        pid = con.execute("SELECT id FROM people WHERE full_name = 'Trần Văn Bình'").fetchone()[0]
    err = _refused(capsys, path, *where, "attendance", "mark", "--course", "TH-2024-001",
                   "--session", "1", "--person", str(pid), "--status", "present")  # fmt: skip
    assert f"Thêm như người đến lớp: {expected} enrol --course TH-2024-001 --person {pid}" in err


def test_accounts(
    place: tuple[Path, list[str], str],
    base: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, where, expected = place
    _copy(base, path)
    err = _refused(capsys, path, *where, "users", "lock", "khongco")
    assert f"Không có tài khoản “khongco” (xem “{expected} users list”)." in err
    code, _out, err = run(capsys, *where, "users", "add", "giangvien", "--role", "trainer")
    assert code == 3 and f"(xem “{expected} people list”)" in err


def test_certificates(
    place: tuple[Path, list[str], str],
    base: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    path, where, expected = place
    _copy(base, path)
    out = ["--out", str(tmp_path / "gcn.pdf")]
    code, _out, err = run(capsys, *where, "certificates", "revoke", base[1]["serial"],
                          "--reason", "Sai ngày sinh")  # fmt: skip
    assert code == 0, err
    err = _refused(capsys, path, *where, "certificates", "issue", "--course", "TH-2024-001", *out)
    assert f"dùng “{expected} certificates reissue SỐ_HIỆU”" in err
    with closing(sqlite3.connect(path)) as con, con:
        con.execute("DELETE FROM settings WHERE key = 'signer_name'")
    err = _refused(capsys, path, *where, "certificates", "issue", "--course", "TH-2024-001", *out)
    assert f"Họ tên người ký ({expected} settings set signer_name …)" in err
    assert not (tmp_path / "gcn.pdf").exists()


def test_a_server_is_named_by_its_url_without_the_password() -> None:
    url = make_url("postgresql+psycopg://taphuan_app:bi-mat@maychu:5432/taphuan")
    said = commands.command(url, "init")
    assert said == "taphuan --db postgresql://taphuan_app@maychu:5432/taphuan init"


def test_plain_taphuan_only_when_it_opens_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = str(paths.default_db_path())
    assert commands.prefix(default) == "taphuan"
    other = tmp_path / "khac.db"
    monkeypatch.setenv("TAPHUAN_DB", str(other))  # plain taphuan now opens the other file
    assert commands.prefix(default) == f'taphuan --db "{paths.default_db_path()}"'
    assert commands.prefix(str(other)) == "taphuan"


def test_a_server_database_never_set_up_is_not_built_by_a_command(
    pg_empty: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`course list` on an empty PostgreSQL database: "chưa có cơ sở dữ liệu" and the
    command for init, exit 3, and not one table made (as on a missing SQLite file)."""
    code, _out, err = run(capsys, "--db", pg_empty, "course", "list")
    assert code == 3
    assert "Chưa có cơ sở dữ liệu TapHuan trong" in err and "init”" in err
    engine = create_engine(pg_empty)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.skipif(sys.platform == "win32", reason="the POSIX shell's quoting")
@pytest.mark.parametrize("name", ['d$x"y/a b.db', "it's `x` \\ $HOME.db", "thư mục/tệp.db"])
def test_a_hint_pastes_into_a_shell_as_the_same_path(tmp_path: Path, name: str) -> None:
    """`taphuan --db …` in a hint names the very file when pasted into bash: no $ expanded,
    no quote ending it early."""
    path = tmp_path / name
    hint = commands.prefix(str(path))
    assert hint.startswith("taphuan --db ")
    said = subprocess.run(
        ["bash", "-c", f"printf '%s' {hint.removeprefix('taphuan --db ')}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert said == str(path)
