"""Publishing the verification site into a folder: a whole new folder or the old one,
never a mix.

The files are written into a temporary folder beside --out (".tra-cuu.dang-ghi-…"), then
swapped in: the old folder is renamed away (".tra-cuu.cu-…"), the new one renamed in,
the old one deleted. A failure puts the old folder back. A kill leaves at worst the two
whole folders beside each other with --out missing for a moment; the next publish (or
recover()) puts the old one back before anything else, and deletes what a killed run
left. Only folders a previous publish wrote (MARKER) or an empty folder are replaced: a
folder holding anything else (the user's Documents) is refused and nothing is written.

What changed since the folder published before is read from its JSON files.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.errors import UserError, os_reason
from app.staging import try_lock
from app.verify_site import site
from app.verify_site.records import STATUS_WORDS, PublicRecord, as_json, code_key, status_of

NEW = "dang-ghi"
OLD = "cu"
LOCK = ".khoa"  # beside the folder: one publish at a time

_rename = os.rename  # one place for the tests to fail or kill a rename


class FolderRefused(UserError):
    """The folder cannot take the site; nothing was written."""


@dataclass(frozen=True)
class StatusChange:
    serial: str
    before: str  # words, e.g. "Hợp lệ"
    after: str


@dataclass(frozen=True)
class Changes:
    previous_at: str | None  # when the folder was published before (dd/mm/yyyy HH:MM)
    new: int = 0
    changed: tuple[StatusChange, ...] = ()
    gone: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Published:
    out: Path
    certificates: int
    files: int
    size: int  # bytes
    published_at: str  # dd/mm/yyyy HH:MM
    changes: Changes = field(default_factory=lambda: Changes(None))


def _leftovers(out: Path, kind: str) -> list[Path]:
    prefix = f".{out.name}.{kind}-"  # not glob(): a folder may be named "tra-cuu[1]"
    try:
        return sorted(
            (p for p in out.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return []


def recover(out: Path) -> None:
    """Undo what a killed publish left beside out: its half-written folder is deleted;
    an old folder renamed away is put back when out is missing, else deleted."""
    for path in _leftovers(out, NEW):
        shutil.rmtree(path, ignore_errors=True)
    for path in _leftovers(out, OLD):
        if not out.exists():
            _rename(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


JUNK = {".ds_store", "thumbs.db", "desktop.ini"}  # what file browsers leave in any folder


REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: a Windows junction or link


def _is_link(path: Path) -> bool:
    """A symbolic link, or on Windows a junction (Path.is_junction is Python 3.12's; the
    bundle runs 3.11): its attributes, read without following it."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return False
    return path.is_symlink() or bool(getattr(st, "st_file_attributes", 0) & REPARSE_POINT)


def _foreign(out: Path) -> list[str]:
    """What a folder holds that a publish did not write (the clerk's own files)."""
    ours = {*site.PAGE_FILES, site.MARKER, site.DATA}
    found = []
    for path in out.iterdir():
        if path.name.lower() in JUNK:
            continue
        if path.name not in ours or (path.name == site.DATA) != path.is_dir():
            found.append(path.name)
        elif path.name == site.DATA:
            found += [
                f"{site.DATA}/{p.name}"
                for p in path.iterdir()
                if p.name.lower() not in JUNK
                and not (p.is_file() and (p.suffix == ".json" or p.name == "index.html"))
            ]
    return sorted(found)


def check_folder(out: Path) -> None:
    """Refuse (FolderRefused, nothing written) a folder that is not ours to replace: one
    holding anything a publish did not write (a clerk's own files are never deleted by
    the swap), a link to another folder, a file."""
    if _is_link(out):
        raise FolderRefused(
            f"{out} là lối tắt (liên kết) tới {out.resolve()}: hãy chọn thẳng thư mục đó "
            "(xuất vào lối tắt sẽ thay lối tắt bằng một thư mục)."
        )
    if out.exists() and not out.is_dir():
        raise FolderRefused(f"{out} là một tệp, không phải thư mục; hãy chọn một thư mục.")
    if not out.parent.is_dir():
        raise FolderRefused(
            f"Không có thư mục {out.parent}; hãy tạo thư mục đó trước hoặc chọn nơi khác."
        )
    if not out.is_dir():
        return
    try:
        ours = site.read_marker(out) is not None
        foreign = _foreign(out)
        empty = not foreign and not any(p.name.lower() not in JUNK for p in out.iterdir())
    except OSError as exc:
        raise FolderRefused(f"Không đọc được thư mục {out}: {os_reason(exc)}.") from exc
    if not ours and not empty:
        raise FolderRefused(
            f"Thư mục {out} đã có tệp khác và không phải trang tra cứu TapHuan đã xuất "
            "trước đây: TapHuan không ghi đè lên nó. Hãy chọn một thư mục trống hoặc "
            f"một thư mục mới, ví dụ {out / 'tra-cuu'}."
        )
    if ours and foreign:
        named = ", ".join(foreign[:5]) + (
            f" và {len(foreign) - 5} mục khác" if len(foreign) > 5 else ""
        )
        raise FolderRefused(
            f"Thư mục {out} là trang tra cứu đã xuất nhưng có thêm tệp không phải của trang "
            f"({named}): xuất lại sẽ xóa chúng, nên TapHuan không ghi gì. Hãy chuyển các tệp "
            "đó sang chỗ khác rồi xuất lại."
        )


def _compare(
    before: dict[str, dict], records: Sequence[PublicRecord]
) -> tuple[int, list[StatusChange], int]:  # type: ignore[type-arg]
    new = unchanged = 0
    changed: list[StatusChange] = []
    for record in records:
        old = before.pop(code_key(record.code), None)
        if old is None:
            new += 1
            continue
        now = as_json(record)
        if status_of(old) == status_of(now):
            unchanged += 1
        else:
            changed.append(StatusChange(record.serial, _words(old), _words(now)))
    return new, changed, unchanged


def _words(content: dict) -> str:  # type: ignore[type-arg]
    words = STATUS_WORDS.get(str(content.get("status")), str(content.get("status")))
    if content.get("expires_on") and content.get("status") in ("valid", "expired"):
        # a validity set or changed is a change too
        words += f" (đến {_day(str(content['expires_on']))})"
    if content.get("replaced_by"):
        words += f" (thay bằng số {content['replaced_by']})"
    return words


def _day(iso: str) -> str:
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def _swap(out: Path, new: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.{OLD}-{secrets.token_hex(4)}")
        _rename(out, old)
    try:
        _rename(new, out)
    except BaseException:
        if old is not None:
            _rename(old, out)  # the old site back, whole
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)  # what stays is deleted by the next publish


def publish(
    out: Path,
    records: Sequence[PublicRecord],
    moment: datetime,
    progress: site.Progress | None = None,
) -> Published:
    """The site of these records in out, swapped in whole; what changed since the folder
    was published before. progress(n, total) may raise to stop: nothing changes then."""
    out = out.expanduser().absolute()
    check_folder(out)  # a refusal writes nothing, not even the lock file
    with _only_one(out):  # then again under the lock: the folder may have changed
        return _publish(out, records, moment, progress)


@contextmanager
def _only_one(out: Path) -> Iterator[None]:
    """One publish into a folder at a time: a second one (another desk, a second window)
    is refused while the first runs, never mixed with it."""
    lock_path = out.with_name(f".{out.name}{LOCK}")
    try:
        fh = open(lock_path, "a+b")  # noqa: SIM115 (held until the publish ends)
    except OSError as exc:
        raise FolderRefused(f"Không ghi được vào thư mục {out.parent}: {os_reason(exc)}.") from exc
    try:
        if not try_lock(fh):
            raise FolderRefused(
                f"Đang có một lần xuất trang tra cứu khác vào {out} (máy khác hoặc cửa sổ "
                "khác): hãy đợi lần đó xong rồi xuất lại. Chưa ghi gì."
            )
        yield
    finally:
        fh.close()


def _publish(
    out: Path,
    records: Sequence[PublicRecord],
    moment: datetime,
    progress: site.Progress | None,
) -> Published:
    check_folder(out)
    try:
        recover(out)
    except OSError as exc:
        raise FolderRefused(
            f"Không dọn được lần xuất dở dang bên cạnh {out}: {os_reason(exc)}."
        ) from exc
    marker = site.read_marker(out) if out.is_dir() else None
    before = site.read_records(out) if marker is not None else {}
    new = out.with_name(f".{out.name}.{NEW}-{secrets.token_hex(4)}")
    try:
        new.mkdir()
    except OSError as exc:
        raise FolderRefused(f"Không ghi được vào thư mục {out.parent}: {os_reason(exc)}.") from exc
    try:
        written = site.write_site(new, records, moment, len(records), progress)
        _swap(out, new)
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise FolderRefused(
            f"Không xuất được trang tra cứu vào {out}: {os_reason(exc)}. Thư mục cũ giữ "
            "nguyên (nếu có thư mục hay tệp trong đó đang mở ở chương trình khác, hãy đóng "
            "lại rồi xuất lại)."
        ) from exc
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    previous_at = None
    if marker is not None:
        try:
            previous_at = site.published_text(datetime.fromisoformat(marker["published_at"]))
        except (KeyError, TypeError, ValueError):
            previous_at = "không rõ lúc nào"
    n_new, changed, unchanged = _compare(before, records)
    changes = Changes(previous_at, n_new, tuple(changed), len(before), unchanged)
    return Published(out, len(records), written.files, written.size,
                     site.published_text(moment), changes)  # fmt: skip
