"""Files that depend on a transaction: written to temporary files beside their targets
before the commit, moved into place (a rename in the same folder) only after it.

    staged = Staging()
    staged.folder(out_dir, create=True)   # checked before anything is committed
    with db.transaction() as s:
        ...                               # the serials
        staged.add(out_dir / name, pdf)   # a scrambled temporary file in that folder
    staged.place()                        # after the commit: unscrambled, then renamed
    ...
    staged.discard()                      # on failure or cancel: no file is left

The temporary files of one run live in a hidden folder `.taphuan-dang-ghi-<token>` inside
each target folder, beside a lock file this process holds while it runs. What a killed
process left (its lock free again) is removed by the next run writing there.

Until the commit the temporary files are scrambled: XORed with a SHAKE-256 keystream
from a random key that lives only in this process's memory. A process killed before the
commit (its serials rolled back, to be given to other people later) leaves bytes no one
can read as a PDF, so no paper on disk ever holds a serial the register does not hold.
After the commit each file is unscrambled where it lies (no more disk space needed) and
renamed into place; memory stays bounded (BLOCK bytes at a time).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
import sys
import time
from pathlib import Path
from typing import IO

from app.errors import UserError, os_reason

WORK_PREFIX = ".taphuan-dang-ghi-"
LOCK_SUFFIX = ".khoa"
LOCK_MARK = b"taphuan"


class FileProblem(UserError):
    """A target folder or file cannot be written; found before anything is committed."""


class NotPlaced(UserError):
    """Moving a file into place failed after the commit; `placed` made it."""

    def __init__(self, message: str, placed: list[Path], failed: Path) -> None:
        super().__init__(message)
        self.placed, self.failed = placed, failed


def try_lock(fh: IO[bytes]) -> bool:
    """Take the lock without waiting; False if another process holds it."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _hide(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN


def clear_orphans(folder: Path) -> int:
    """Remove what runs that died left in folder (their lock is free); how many.

    A run creates and locks its lock file first, writes a mark in it, then makes its work
    folder; it removes the folder first and the lock file last. So a lock file that can
    be locked and holds the mark is a dead run's; one without the mark is being born; a
    work folder without a lock file was left half removed."""
    removed = 0
    for lock in folder.glob(WORK_PREFIX + "*" + LOCK_SUFFIX):
        work = lock.with_suffix("")
        try:
            with lock.open("r+b") as fh:
                if not try_lock(fh) or fh.read() != LOCK_MARK:
                    continue  # a running program's, or one being born
                shutil.rmtree(work, ignore_errors=True)
            lock.unlink()
            removed += 1
        except OSError:
            continue
    for work in folder.glob(WORK_PREFIX + "*"):
        if work.is_dir() and not work.with_name(work.name + LOCK_SUFFIX).exists():
            shutil.rmtree(work, ignore_errors=True)
            removed += 1
    return removed


BLOCK = 1 << 16


class _Scrambler:
    """A keystream per file from a key held only in memory (SHAKE-256 in counter mode)."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def apply(self, file_no: int, block_no: int, data: bytes) -> bytes:
        """data XOR the keystream of that block of that file: scrambles and unscrambles."""
        seed = self._key + file_no.to_bytes(8, "big") + block_no.to_bytes(8, "big")
        stream = hashlib.shake_256(seed).digest(len(data))
        mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
        return mixed.to_bytes(len(data), "big")


class _Work:
    """One folder's temporary files, under a lock held while this program runs."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"{WORK_PREFIX}{secrets.token_hex(6)}"
        self.lock_path = self.path.with_name(self.path.name + LOCK_SUFFIX)
        self.lock = self.lock_path.open("x+b")
        try:
            for _ in range(200):  # a cleaner may be looking at it for a moment
                if try_lock(self.lock):
                    break
                time.sleep(0.005)
            else:
                raise OSError(errno.EBUSY, "lock")
            self.lock.write(LOCK_MARK)
            self.lock.flush()
            self.path.mkdir()
        except OSError:
            self.remove()
            raise
        _hide(self.path)
        _hide(self.lock_path)
        self.count = 0

    def temp(self) -> Path:
        self.count += 1
        return self.path / f"{self.count:06d}.tam"

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.lock.close()
        self.lock_path.unlink(missing_ok=True)


class Staging:
    def __init__(self) -> None:
        self._works: dict[Path, _Work] = {}
        self._created: list[Path] = []
        self._pending: list[tuple[Path, Path, int]] = []  # (temporary, target, file number)
        self._targets: set[Path] = set()
        self._scrambler = _Scrambler()
        self._files = 0

    def folder(self, path: Path, create: bool = False) -> Path:
        """Check a target folder (creating it if asked) and start its work folder."""
        path = Path(path).expanduser().absolute()
        if path in self._works:
            return path
        if path.exists() and not path.is_dir():
            raise FileProblem(f"{path} là một tệp, không phải thư mục.")
        if not path.exists():
            if not create:
                raise FileProblem(f"Không có thư mục {path}.")
            missing = [p for p in (path, *path.parents) if not p.exists()]
            try:
                path.mkdir(parents=True)
            except OSError as exc:
                raise FileProblem(f"Không tạo được thư mục {path}: {os_reason(exc)}.") from exc
            self._created.extend(missing)  # the deepest first
        clear_orphans(path)
        try:
            self._works[path] = _Work(path)
        except OSError as exc:
            raise FileProblem(
                f"Không ghi được vào thư mục {path} (chỉ cho đọc hoặc không có quyền ghi)."
            ) from exc
        return path

    def add(self, target: Path, data: bytes) -> Path:
        """Write data to a temporary file in target's folder (checked with folder())."""
        target = Path(target).expanduser().absolute()
        work = self._works.get(target.parent)
        if work is None:
            self.folder(target.parent)
            work = self._works[target.parent]
        if target in self._targets:
            raise FileProblem(f"Hai tệp cùng tên {target.name} trong {target.parent}.")
        if target.is_dir():
            raise FileProblem(
                f"{target.name} là một thư mục trong {target.parent}; không ghi đè được."
            )
        if target.exists():
            try:  # open elsewhere (a PDF viewer on Windows) or read-only: say so now
                with target.open("r+b"):
                    pass
            except OSError as exc:
                raise FileProblem(
                    f"Không ghi đè được {target}: tệp đang mở trong chương trình khác hoặc chỉ "
                    "cho đọc. Hãy đóng nó rồi làm lại."
                ) from exc
        tmp = work.temp()
        self._files += 1
        try:
            with tmp.open("wb") as fh:
                for block_no, start in enumerate(range(0, len(data), BLOCK)):
                    block = data[start : start + BLOCK]
                    fh.write(self._scrambler.apply(self._files, block_no, block))
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise FileProblem(
                f"Không ghi được vào thư mục {target.parent}: {os_reason(exc)}."
            ) from exc
        self._pending.append((tmp, target, self._files))
        self._targets.add(target)
        return tmp

    def _unscramble(self, tmp: Path, file_no: int) -> None:
        """Turn a temporary file back into its real bytes where it lies (after the commit)."""
        with tmp.open("r+b") as fh:
            block_no = 0
            while block := fh.read(BLOCK):
                fh.seek(-len(block), os.SEEK_CUR)
                fh.write(self._scrambler.apply(file_no, block_no, block))
                block_no += 1
            fh.flush()
            os.fsync(fh.fileno())

    def place(self) -> list[Path]:
        """After the commit: unscramble and move every file into place, in the order
        added; then clean up."""
        placed: list[Path] = []
        try:
            for tmp, target, file_no in self._pending:
                try:
                    self._unscramble(tmp, file_no)
                    os.replace(tmp, target)
                except OSError as exc:
                    raise NotPlaced(
                        f"không đặt được tệp {target.name} vào {target.parent} ({os_reason(exc)})",
                        placed,
                        target,
                    ) from exc
                placed.append(target)
        finally:
            self._pending = []
            self._cleanup(keep_created=True)
        return placed

    def discard(self) -> None:
        """Remove every temporary file, and the folders this run created."""
        self._pending = []
        self._cleanup(keep_created=False)

    def _cleanup(self, keep_created: bool) -> None:
        for work in self._works.values():
            work.remove()
        self._works = {}
        if not keep_created:
            for folder in self._created:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if empty: never anything someone put there
        self._created = []
