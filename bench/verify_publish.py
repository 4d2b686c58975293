"""Publishing the verification site for 10,000 certificates: the whole command
(`taphuan certificates publish --out DIR`, a process) the first time and again after some
revocations, its parts in-process (reading the register, writing the folder), the folder's
size, against a floor: a bare Python process writing the same 10,000 JSON files.

    python bench/verify_publish.py [--count 10000] [--repeat 3]

The certificates are issued through the issuing service (no PDF) on a database filled by
bench/certificates.py's prepare(); 1 in 50 is then revoked and 1 in 100 reissued.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.certificates import prepare  # noqa: E402

FLOOR = r"""
import json, hashlib, os, sys
out = sys.argv[1]
os.makedirs(os.path.join(out, "gcn"))
for i in range(int(sys.argv[2])):
    record = {"v": 1, "serial": f"{i:05d}/2026/GCN-SKHCN", "name": f"Nguyễn Thị Thanh Hà {i}",
              "birth_year": "1986", "course": "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng",
              "period": "từ ngày 02/03/2026 đến ngày 06/03/2026", "issued_on": "2026-03-06",
              "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "status": "valid"}
    name = hashlib.sha256(f"CODE{i:06d}".encode()).hexdigest()
    with open(os.path.join(out, "gcn", name + ".json"), "wb") as fh:
        fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
"""


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, _children_cpu() - cpu, done.stdout


def _size(folder: Path) -> tuple[int, int, int]:
    """(files, bytes of content, bytes on disk)."""
    files = content = disk = 0
    for path in folder.rglob("*"):
        if path.is_file():
            st = path.stat()
            files, content, disk = files + 1, content + st.st_size, disk + st.st_blocks * 512
    return files, content, disk


def _issue(folder: Path, env: dict[str, str], count: int) -> None:
    os.environ.update(env)
    from app.db import Database
    from app.services import certificates

    db = Database(str(folder / "gcn.db"))
    started = time.perf_counter()
    with db.transaction() as s:
        issued = certificates.issue(s, 1, None, on=date(2026, 3, 6))
    with db.transaction() as s:
        for row in issued[::50]:
            certificates.revoke(s, row.serial, "Ghi sai ngày sinh")
        for row in issued[1::100]:
            certificates.reissue(s, row.serial)
    db.close()
    print(f"issued {count:,} (service, no PDF), revoked {len(issued[::50])}, reissued "
          f"{len(issued[1::100])}: {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip


def _parts(folder: Path) -> None:
    """The two halves of a publish in this process: reading, writing."""
    from app.db import Database
    from app.services import verify_publish
    from app.verify_site import publish
    from app.verify_site.records import as_json, code_key

    db = Database(str(folder / "gcn.db"))
    started = time.perf_counter()
    with db.transaction(readonly=True) as s:
        records = verify_publish.public_records(s)
    read = time.perf_counter() - started
    db.close()
    started = time.perf_counter()
    publish.publish(folder / "trong-tien-trinh", records, verify_publish.vietnam_now())
    write = time.perf_counter() - started
    shutil.rmtree(folder / "trong-tien-trinh")
    bare = folder / "san-trong-tien-trinh"
    (bare / "gcn").mkdir(parents=True)
    contents = [
        (code_key(r.code), json.dumps(as_json(r), ensure_ascii=False).encode()) for r in records
    ]
    started = time.perf_counter()
    for name, data in contents:  # the floor: the same bytes, already made, written
        with open(os.path.join(bare, "gcn", name + ".json"), "wb") as fh:
            fh.write(data)
    floor = time.perf_counter() - started
    shutil.rmtree(bare)
    print(f"in-process: public_records {read * 1000:.0f} ms for {len(records):,}; "
          f"write + swap {write * 1000:.0f} ms; floor (same bytes, open/write) "
          f"{floor * 1000:.0f} ms", flush=True)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the later measures")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="taphuan-tra-cuu-"))
    try:
        env, cli = prepare(folder, args.count)
        _issue(folder, env, args.count)
        out = folder / "tra-cuu"
        wall, cpu, _ = _timed([*cli, "certificates", "publish", "--out", str(out)], env)
        files, content, disk = _size(out)
        print(f"publish (first, whole process): {wall:.2f} s wall, {cpu:.2f} s CPU; "
              f"{files:,} files, {content / 1e6:.2f} MB content, {disk / 1e6:.1f} MB on disk "
              f"(4 KiB blocks); {content / args.count:.0f} B a certificate file on average")  # fmt: skip
        for _ in range(args.repeat):
            wall2, cpu2, stdout2 = _timed([*cli, "certificates", "publish", "--out", str(out)], env)
            print(f"publish again (reads the old folder, swaps): {wall2:.2f} s wall, "
                  f"{cpu2:.2f} s CPU")  # fmt: skip
        print("  " + stdout2.splitlines()[1])
        bare = folder / "san"
        wall0, cpu0, _ = _timed([sys.executable, "-c", FLOOR, str(bare), str(args.count)], env)
        print(f"floor (bare Python writing {args.count:,} JSON files): {wall0:.2f} s wall, "
              f"{cpu0:.2f} s CPU; ratio {wall / wall0:.1f}x wall, {cpu / cpu0:.1f}x CPU")  # fmt: skip
        for _ in range(args.repeat):
            _parts(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
