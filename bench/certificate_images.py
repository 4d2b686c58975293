"""A certificate drawn with a large logo: as an image was kept before (the file's own
pixels) against as it is kept now (scaled to its place once, when set). Each run is a
fresh process, so its peak memory (making the test image included) is its own.

    python bench/certificate_images.py [--width 12000 --height 10000]

The 12,000 × 10,000 default is the 120 Mpx logo the review set (now refused, over
setting_images.MAX_PIXELS); the "now" row keeps the largest logo still allowed, 5,000 ×
5,000, scaled as the program keeps it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ONE = r"""
import io, resource, sys, time, warnings
warnings.simplefilter("ignore")
from datetime import date
from PIL import Image
from app.documents.certificate import CertificateData, render_one
w, h, scaled = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
buf = io.BytesIO(); Image.linear_gradient("L").resize((w, h)).save(buf, "PNG"); logo = buf.getvalue()
if scaled:
    from app.services import setting_images
    Image.MAX_IMAGE_PIXELS = None
    with Image.open(io.BytesIO(logo)) as img:
        img.load(); logo = setting_images._fitted(img, "PNG", logo, setting_images.LONGEST["logo"])
data = CertificateData("UBND TỈNH VĨNH LONG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Vĩnh Long",
    "GIÁM ĐỐC", "Nguyễn Văn Tâm", "Nguyễn Thị Thanh Hà", "02/05/1986", "Xã Tân Ngãi",
    "Kỹ năng số", "từ ngày 02/03/2026 đến ngày 06/03/2026", "", "Hoàn thành", "0001/2026/GCN",
    date(2026, 3, 6), "ABCDEFGHJK", "TAPHUAN|0001/2026/GCN|ABCDEFGHJK", logo=logo)
start = time.perf_counter(); pdf = render_one(data); took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(logo) / 1024:.0f} {took:.2f} {len(pdf) / 1024:.0f} {peak:.0f}")
"""


def measure(width: int, height: int, scaled: bool) -> list[str]:
    out = subprocess.run([sys.executable, "-c", ONE, str(width), str(height), str(int(scaled))],
                         cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    return out.stdout.split()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=12_000)
    parser.add_argument("--height", type=int, default=10_000)
    args = parser.parse_args()
    print(f"{'logo':42} {'kept KB':>8} {'render s':>9} {'PDF KB':>8} {'peak MB':>8}")
    rows = (
        (f"before: {args.width} x {args.height} kept as it was", args.width, args.height, False),
        ("now: 5000 x 5000 (largest allowed), scaled", 5_000, 5_000, True),
    )
    for label, w, h, scaled in rows:
        kept, took, size, peak = measure(w, h, scaled)
        print(f"{label:42} {kept:>8} {took:>9} {size:>8} {peak:>8}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
