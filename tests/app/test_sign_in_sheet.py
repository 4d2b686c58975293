"""The sign-in sheet of one session: dated with the session's day, signed by the session's
trainers and the course's organiser, phone numbers only when asked, names on one line."""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime

from app.db import Database
from app.documents.attendance_sheet import SignInRow, SignInSheet, render_sign_in_sheet
from app.services import printing
from models import SessionTrainer
from tests.app import world
from tests.app.test_document_closings import heights
from tests.app.test_documents import HEADING, pages, read_qr_codes

PHONE = "0903111222"
LONG_NAMES = ["Nguyễn Thị Hoàng Phương Thảo", "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích"]


def _world_with_trainers(db: Database) -> world.World:
    with db.transaction() as s:
        w = world.build(s)
        for name in ("Lê Thị Ngọc Ánh", "Trần Văn Bình"):
            world.enrol(s, w, world.person(s, name, phone=PHONE), [])
        for name in ("Phạm Quốc Khánh", "Đỗ Thị Mai"):
            trainer = world.person(s, name, is_trainer=True)
            s.add(SessionTrainer(session_id=w.sessions[1], person_id=trainer))
    return w


def _render(data: SignInSheet) -> list[str]:
    out = io.BytesIO()
    render_sign_in_sheet(data, out)
    return pages(out.getvalue())


def test_the_sheet_is_dated_with_its_session_and_signed_by_its_trainers_and_organiser(
    db: Database,
) -> None:
    w = _world_with_trainers(db)
    with db.transaction() as s:
        data = printing.sign_in_sheet(s, w.course, 2)
    assert data.trainer_names == ("Phạm Quốc Khánh", "Đỗ Thị Mai")  # by given name
    text = "\n".join(_render(data))
    # Session 2 is on 05/03/2024: the sheet says that day, whenever it is printed.
    assert "ngày 05 tháng 3 năm 2024" in text and "ngày …… tháng" not in text
    for fragment in ("GIẢNG VIÊN", "ĐẠI DIỆN ĐƠN VỊ TỔ CHỨC", "Sở TT&TT", "(Ký, ghi rõ họ tên)"):
        assert fragment in text
    signed = text[text.index("ĐẠI DIỆN ĐƠN VỊ TỔ CHỨC") - 40 :]
    assert "Đỗ Thị Mai" in signed and "Phạm Quốc Khánh" in signed  # under the signatures


def test_phone_numbers_only_when_asked(db: Database) -> None:
    w = _world_with_trainers(db)
    with db.transaction() as s:
        plain = printing.sign_in_sheet(s, w.course, 1)
        with_phones = printing.sign_in_sheet(s, w.course, 1, show_phones=True)
    assert {r.phone for r in plain.rows} == {""}  # not even handed to the renderer
    text = "\n".join(_render(plain))
    assert "Lê Thị Ngọc Ánh" in text and PHONE not in text and "Số điện thoại" not in text
    text = "\n".join(_render(with_phones))
    assert text.count(PHONE) == 2 and "Số điện thoại" in text


def test_a_forty_row_session_keeps_long_names_on_one_line() -> None:
    rows = [
        SignInRow(name, "1986", "Hội Liên hiệp Phụ nữ xã Đại Điền", "Chi hội trưởng", PHONE)
        for name in LONG_NAMES + [f"Lê Văn {i}" for i in range(38)]
    ]
    for phones in (False, True):
        data = SignInSheet(
            HEADING,
            "TH-2026-014",
            "Tập huấn triển khai định danh điện tử VNeID",
            "Buổi 1",
            datetime(2026, 3, 2, 7, 30),
            datetime(2026, 3, 2, 11),
            "Hội trường UBND xã Đại Điền",
            "Phạm Quốc Khánh",
            "Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
            rows,
            show_phones=phones,
            trainer_names=("Phạm Quốc Khánh",),
        )
        text = _render(data)
        lines = [line for page in text for line in page.splitlines()]
        # The name column is as wide as the longest name while the unit's column keeps
        # 25 mm: beside the phone column, only the very long name wraps.
        for name in LONG_NAMES[:1] if phones else LONG_NAMES:
            assert any(name in line for line in lines), (phones, name)
        assert (PHONE in "".join(text)) is phones
        assert "Vĩnh Long, ngày 02 tháng 3 năm 2026" in text[-1]
        assert date.today().strftime("%d tháng %m năm %Y") not in text[-1]


def test_every_qr_code_on_every_page_reads_back_as_its_row_code() -> None:
    """A phone at the door reads each row's code off the printed page: render a sheet
    longer than a page, rasterise each page and decode every code on it."""
    rows = [
        SignInRow(
            f"Lê Văn {i}", "1986", "Hội Nông dân xã Đại Điền", "Hội viên", PHONE, f"DD{i:04d}Q"
        )
        for i in range(1, 23)
    ]
    data = SignInSheet(
        HEADING,
        "TH-2026-014",
        "Tập huấn triển khai định danh điện tử VNeID",
        "Buổi 1",
        datetime(2026, 3, 2, 7, 30),
        datetime(2026, 3, 2, 11),
        "Hội trường UBND xã Đại Điền",
        "Phạm Quốc Khánh",
        "Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
        rows,
        show_qr=True,
    )
    out = io.BytesIO()
    n_pages = render_sign_in_sheet(data, out)
    assert n_pages >= 2
    texts = pages(out.getvalue())
    read: list[str] = []
    for page in range(n_pages):
        codes = read_qr_codes(out.getvalue(), page, dpi=200)
        # The codes on a page are those of the people listed on it, each once.
        on_page = {r.checkin_code for r in rows if f"{r.full_name}\n" in texts[page] + "\n"}
        assert set(codes) == on_page and len(codes) == len(on_page), page
        read += codes
    assert sorted(read) == sorted(r.checkin_code for r in rows)


def test_a_qr_row_is_as_tall_as_its_code_and_a_thin_margin() -> None:
    """The 13 mm code leaves room enough to sign beside it: its cell keeps 1.5 pt from the
    rules above and below (the code's own quiet zone is inside its 13 mm), where the text
    cells keep 6 pt; rows no taller than that, 18 people a page instead of 14."""
    rows = [
        SignInRow(f"Lê Văn {i}", "1986", "Hội Liên hiệp Phụ nữ xã Đại Điền", "Chi hội trưởng",
                  PHONE, f"DD{i:04d}Q")
        for i in range(1, 41)
    ]  # fmt: skip
    pitch = 13 / 25.4 * 72 + 2 * 1.5
    for phones in (False, True):
        data = SignInSheet(
            HEADING, "TH-2026-014", "Tập huấn triển khai định danh điện tử VNeID", "Buổi 1",
            datetime(2026, 3, 2, 7, 30), datetime(2026, 3, 2, 11), "Hội trường UBND xã Đại Điền",
            "Phạm Quốc Khánh", "Sở Khoa học và Công nghệ tỉnh Vĩnh Long", rows, show_qr=True,
            show_phones=phones,
        )  # fmt: skip
        out = io.BytesIO()
        render_sign_in_sheet(data, out)
        y = heights(out.getvalue(), 1)
        listed = sorted((y[r.full_name], r.full_name) for r in rows if r.full_name in y)
        steps = {round(b[0] - a[0], 3) for a, b in itertools.pairwise(listed)}
        assert steps == {round(pitch, 3)}, (phones, steps)
        assert len(listed) == 18
