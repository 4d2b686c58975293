"""Publishing the verification site into its folder: a whole new folder or the old one,
never a mix, whatever fails and wherever the process is killed; a folder that is not a
previous publish is refused and nothing is written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.verify_site import publish
from tests.app.verify_site_folders import MOMENTS, records, whole

ROOT = Path(__file__).resolve().parents[2]
N = 600


def publish_generation(out: Path, generation: int, n: int = N, progress=None) -> publish.Published:  # type: ignore[no-untyped-def]
    return publish.publish(out, records(n, generation), MOMENTS[generation], progress)


def beside(out: Path) -> list[str]:
    """What is beside the folder, but for the publishes' lock file (kept: see publish)."""
    lock = f".{out.name}{publish.LOCK}"
    return sorted(p.name for p in out.parent.iterdir() if p.name not in (out.name, lock))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    (tmp_path / "web").mkdir()
    path = tmp_path / "web" / "tra-cuu"
    publish_generation(path, 1)
    assert whole(path, N) == 1
    return path


def test_changes_since_the_folder_published_before(out: Path) -> None:
    result = publish_generation(out, 2)
    assert whole(out, N) == 2 and beside(out) == []
    changes = result.changes
    revoked = len(range(0, N, 7))
    assert (changes.previous_at, changes.new, len(changes.changed), changes.gone,
            changes.unchanged) == ("01/11/2026 08:00", 3, revoked, 0, N - revoked)  # fmt: skip
    assert changes.changed[0] == publish.StatusChange("00001/GCN", "Hợp lệ", "Đã thu hồi")
    assert (result.certificates, result.files) == (N + 3, N + 3 + 7)  # 5 page files, 2 more
    again = publish_generation(out, 1)  # the revoked ones valid again, three gone
    assert (again.changes.new, len(again.changes.changed), again.changes.gone) == (0, revoked, 3)


@pytest.mark.parametrize("failing", [1, 2])
def test_a_failed_rename_keeps_the_old_folder_whole(out: Path, failing: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = [0]
    real = publish._rename

    def rename(a: Path, b: Path) -> None:
        calls[0] += 1
        if calls[0] == failing:  # 1: the old one away; 2: the new one in (the old comes back)
            raise PermissionError(13, "Access is denied", str(a))
        real(a, b)

    monkeypatch.setattr(publish, "_rename", rename)
    with pytest.raises(publish.FolderRefused) as err:
        publish_generation(out, 2)
    assert f"Không xuất được trang tra cứu vào {out}" in err.value.message
    assert "Thư mục cũ giữ nguyên" in err.value.message
    assert whole(out, N) == 1 and beside(out) == []


def test_a_failed_write_or_a_cancel_keeps_the_old_folder_whole(out: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class Stop(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done >= 250:
            raise Stop

    with pytest.raises(Stop):
        publish_generation(out, 2, progress=cancel)
    assert whole(out, N) == 1 and beside(out) == []

    written = [0]
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        written[0] += 1
        if written[0] == 100:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(publish.FolderRefused):
        publish_generation(out, 2)
    monkeypatch.undo()
    assert whole(out, N) == 1 and beside(out) == []


def test_a_folder_that_is_not_a_publish_is_refused_and_left_alone(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thu.txt").write_text("của người dùng", encoding="utf-8")
    with pytest.raises(publish.FolderRefused) as err:
        publish_generation(documents, 1)
    assert "đã có tệp khác và không phải trang tra cứu TapHuan" in err.value.message
    assert [p.name for p in documents.iterdir()] == ["thu.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents"]
    a_file = tmp_path / "tep"
    a_file.write_text("x")
    with pytest.raises(publish.FolderRefused) as err:
        publish_generation(a_file, 1)
    assert "là một tệp, không phải thư mục" in err.value.message
    with pytest.raises(publish.FolderRefused) as err:
        publish_generation(tmp_path / "khong-co" / "tra-cuu", 1)
    assert "Không có thư mục" in err.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents", "tep"]
    empty = tmp_path / "trong"
    empty.mkdir()
    publish_generation(empty, 1)  # an empty folder is taken
    assert whole(empty, N) == 1


def _killed(out: Path, generation: int, step: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "tests.app.verify_site_folders", str(out), str(N),
         str(generation), step],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _after_kill(out: Path) -> None:
    """What a kill leaves: out whole (old or new), or missing for the moment between the
    two renames with the old folder whole beside it; the next publish puts it right."""
    if out.exists():
        assert whole(out, N) in (1, 2)
    else:
        old = [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.cu-")]
        assert len(old) == 1 and whole(old[0], N) == 1
    publish.recover(out)
    assert whole(out, N) in (1, 2) and beside(out) == []


@pytest.mark.parametrize(
    ("step", "left"),
    [("write:300", 1), ("rename:1", 1), ("renamed:1", None), ("rename:2", None),
     ("renamed:2", 2), ("delete", 2)],
)  # fmt: skip
def test_a_kill_at_each_step_leaves_a_whole_folder(out: Path, step: str, left: int | None) -> None:
    done = _killed(out, 2, step)
    assert done.returncode == 9, done.stderr
    if left is None:  # killed between the two renames: out missing, both whole beside it
        assert not out.exists()
    else:
        assert whole(out, N) == left
    _after_kill(out)
    assert whole(out, N) == (left or 1)
    result = publish_generation(out, 2)  # and the next publish compares with what is there
    assert whole(out, N) == 2 and beside(out) == []
    assert result.changes.previous_at == ("30/11/2026 10:42" if left == 2 else "01/11/2026 08:00")


def test_killed_at_random_moments(out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-m", "tests.app.verify_site_folders", str(out), str(N), "2", "none"]
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, timeout=120)
    duration = time.perf_counter() - started
    rng = random.Random(21)
    for generation in (1, 2, 1, 2, 1):
        argv[5] = str(generation)
        proc = subprocess.Popen(argv, cwd=ROOT, env=env)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _after_kill(out)


def test_a_folder_name_with_brackets(tmp_path: Path) -> None:
    """Leftovers are found by name, not by a pattern: "[1]" is no character class."""
    out = tmp_path / "tra-cuu[1]"
    publish_generation(out, 1)
    stray = tmp_path / ".tra-cuu[1].dang-ghi-0000"
    stray.mkdir()
    publish_generation(out, 2)
    assert whole(out, N) == 2 and beside(out) == []


def test_a_second_publish_while_one_runs_is_refused_and_changes_nothing(out: Path) -> None:
    from app.staging import try_lock

    before = whole(out, N)
    with open(out.with_name(f".{out.name}{publish.LOCK}"), "a+b") as held:  # another desk
        assert try_lock(held)
        with pytest.raises(publish.FolderRefused, match="Đang có một lần xuất trang tra cứu khác"):
            publish_generation(out, 2)
    assert whole(out, N) == before and beside(out) == []
    publish_generation(out, 2)  # once it is done, the next one goes ahead
    assert whole(out, N) == 2


def test_files_of_the_users_own_in_a_published_folder_are_never_deleted(
    out: Path, tmp_path: Path
) -> None:
    """The swap replaces the whole folder: anything in it a publish did not write (a
    report saved there, a picture) refuses the publish, named; so does a marker file put
    into someone's Documents. Thumbs.db, desktop.ini, .DS_Store do not count."""
    (out / "baocao.docx").write_text("x")
    (out / "gcn" / "ghi-chu.txt").write_text("x")
    (out / "Thumbs.db").write_text("x")
    with pytest.raises(publish.FolderRefused, match=r"baocao\.docx, gcn/ghi-chu\.txt"):
        publish_generation(out, 2)
    assert (out / "baocao.docx").exists() and len(list((out / "gcn").glob("*.json"))) == N
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "luanvan.docx").write_text("quan trọng")
    (out / publish.site.MARKER).replace(docs / publish.site.MARKER)
    with pytest.raises(publish.FolderRefused, match=r"luanvan\.docx"):
        publish_generation(docs, 1)
    assert (docs / "luanvan.docx").read_text() == "quan trọng"
    junk = tmp_path / "moi"
    junk.mkdir()
    (junk / ".DS_Store").write_text("x")
    publish_generation(junk, 1)  # a folder with only a file browser's junk is empty
    assert whole(junk, N) == 1


def test_a_link_to_another_folder_is_refused(out: Path, tmp_path: Path) -> None:
    link = tmp_path / "loi-tat"
    link.symlink_to(out, target_is_directory=True)
    with pytest.raises(publish.FolderRefused, match="lối tắt"):
        publish_generation(link, 2)
    assert link.is_symlink() and whole(out, N) == 1
