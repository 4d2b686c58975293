"""Published folders for the swap tests: records made up (no database), what a whole
publish of them looks like, and a publish run in its own process that is killed at a
chosen step (`python -m tests.app.verify_site_folders OUT N GENERATION STEP`).

Steps: "write:K" (dies after K certificates' files), "rename:K" (dies before the K-th
rename of the swap), "renamed:K" (dies just after it), "delete" (dies before deleting the
old folder), "none"."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime
from pathlib import Path

from app.verify_site import publish, site
from app.verify_site.records import PublicRecord, as_json, code_key

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def code(n: int) -> str:
    digits = []
    for _ in range(10):
        n, r = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[r])
    return "".join(digits)


def records(n: int, generation: int) -> list[PublicRecord]:
    """n certificates; in generation 2 every seventh is revoked and a few more exist."""
    out = []
    for i in range(n + (3 if generation == 2 else 0)):
        revoked = generation == 2 and i % 7 == 0
        out.append(PublicRecord(
            code=code(i * 7919 + 1), serial=f"{i + 1:05d}/GCN", full_name=f"Người số {i}",
            birth_year="1980", course_title="Kỹ năng số cơ bản",
            period="từ ngày 04/03/2024 đến ngày 06/03/2024", issued_on=date(2024, 3, 8),
            issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ", status="revoked" if revoked else "valid",
            revoked_on=date(2026, 11, 1) if revoked else None,
            revoked_reason="Cấp nhầm" if revoked else None,
        ))  # fmt: skip
    return out


MOMENTS = {1: datetime(2026, 11, 1, 8, 0), 2: datetime(2026, 11, 30, 10, 42)}


def whole(folder: Path, n: int) -> int | None:
    """Which generation the folder holds, whole (its marker, every file, each content,
    nothing else), or None when it is a mix, incomplete or missing."""
    marker = site.read_marker(folder)
    if marker is None:
        return None
    for generation in (1, 2):
        wanted = {code_key(r.code): as_json(r) for r in records(n, generation)}
        if marker.get("published_at") != MOMENTS[generation].isoformat(timespec="seconds"):
            continue
        if set(site.read_records(folder)) != set(wanted):
            return None
        if any(
            json.loads((folder / "gcn" / f"{k}.json").read_text(encoding="utf-8")) != v
            for k, v in wanted.items()
        ):
            return None
        names = {p.name for p in folder.iterdir()}
        if names != {*site.PAGE_FILES, site.MARKER, site.DATA}:
            return None
        return generation
    return None


def _run(out: Path, n: int, generation: int, step: str) -> None:
    kind, _, number = step.partition(":")
    calls = [0]
    real_rename = publish._rename

    def rename(a, b):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if kind == "rename" and calls[0] == int(number):
            os._exit(9)
        real_rename(a, b)
        if kind == "renamed" and calls[0] == int(number):
            os._exit(9)

    def delete(*_a, **_k):  # type: ignore[no-untyped-def]
        os._exit(9)

    def progress(done: int, _total: int) -> None:
        if kind == "write" and done >= int(number):
            os._exit(9)

    publish._rename = rename
    if kind == "delete":
        publish.shutil.rmtree = delete  # type: ignore[attr-defined]
    publish.publish(out, records(n, generation), MOMENTS[generation], progress)


if __name__ == "__main__":
    _run(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
