"""What a certificate says (issue 16): Ông/Bà, the unit with its commune and province as
named on the day of issue, "Số vào sổ" beside the serial, the course's legal basis, the
grade from its bands; one serif family, every font embedded; a reprint unchanged by later
edits."""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.db import Database
from app.documents.certificate import render_one
from app.services import certificate_wording, certificates
from models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentStatus,
    MemberKind,
    Person,
    Team,
    TeamMembership,
    TeamRole,
    UnitLevel,
    UnitScheme,
)
from tests.app import world
from tests.app.test_certificates import configure

BASIS = (
    "Căn cứ Quyết định số 123/QĐ-SKHCN ngày 20/02/2026 của Giám đốc Sở Khoa học và Công "
    "nghệ tỉnh Vĩnh Long về việc tổ chức lớp tập huấn"
)
NEW_TEAM = "Tổ công nghệ số cộng đồng ấp Phú Hòa"
NEW_UNIT = f"{NEW_TEAM}, xã Đại Điền, tỉnh Vĩnh Long"


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in pages))


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Every font the PDF names (pages and the forms they draw), and whether it is
    embedded: what `pdffonts` lists."""
    found: dict[str, bool] = {}

    def walk(resources) -> None:  # type: ignore[no-untyped-def]
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"]).split("+")[-1]] = embedded
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return found


@pytest.fixture
def issued_world(db: Database):  # type: ignore[no-untyped-def]
    """Three who completed a course with a legal basis and grade bands: a woman in a
    hamlet team of the 2025 units (after leaving a team of the old ones), a man with
    no team, someone whose gender and final score are not recorded."""
    with db.transaction() as s:
        w = world.build(s)
        province = world.unit(s, UnitScheme.Y2025, UnitLevel.PROVINCE, "Tỉnh Vĩnh Long", code="X6")
        commune = world.unit(
            s, UnitScheme.Y2025, UnitLevel.COMMUNE, "Xã Đại Điền", province, "X9194"
        )
        hamlet = world.unit(s, UnitScheme.Y2025, UnitLevel.HAMLET, "Ấp Phú Hòa", commune)
        team = Team(name=NEW_TEAM, level=UnitLevel.HAMLET, unit_id=hamlet)
        s.add(team)
        s.flush()
        course = s.get_one(Course, w.course)
        course.legal_basis = BASIS
        course.grade_excellent, course.grade_good = 8.0, 6.5
        people = {
            "ha": world.person(
                s, "Nguyễn Thị Thanh Hà", gender="female", birth_date=date(1986, 5, 2)
            ),
            "an": world.person(s, "Lê Văn An", gender="male", unit_id=w.hamlet),
            "khoa": world.person(s, "Trần Minh Khoa"),
        }
        for team_id, joined, left in (
            (w.team, date(2022, 5, 1), date(2025, 6, 30)),
            (team.id, date(2025, 7, 1), None),
        ):
            s.add(
                TeamMembership(
                    team_id=team_id, person_id=people["ha"], role=TeamRole.MEMBER,
                    kind=MemberKind.YOUTH_UNION, joined_on=joined, left_on=left,
                )
            )  # fmt: skip
        scores = {"ha": 9.0, "an": 7.0, "khoa": None}
        enr = {k: world.enrol(s, w, pid, [], post=scores[k]) for k, pid in people.items()}
        for eid in enr.values():
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        configure(s)
    return db, w, people, team.id


def _pdf_of(db: Database, person_id: int) -> tuple[bytes, Certificate]:
    with db.transaction(readonly=True) as s:
        cert = s.scalars(select(Certificate).where(Certificate.person_id == person_id)).one()
        ((data, _name),) = certificates.reprint(s, [cert.id])
        s.expunge(cert)
    return render_one(data), cert


def test_the_certificate_says_who_where_on_what_basis_and_the_grade(issued_world) -> None:  # type: ignore[no-untyped-def]
    db, w, people, _team = issued_world
    with db.transaction() as s:
        issued = certificates.issue(s, w.course, None, on=date(2026, 3, 6))
    numbers = {r.full_name: r.serial for r in issued}
    ha, ha_cert = _pdf_of(db, people["ha"])
    text = text_of(ha)
    for fragment in (
        "Bà",
        "NGUYỄN THỊ THANH HÀ",
        f"Đơn vị: {NEW_UNIT}",
        f"Số hiệu: {numbers['Nguyễn Thị Thanh Hà']}",
        f"Số vào sổ: {ha_cert.register_no}",
        "Căn cứ Quyết định số 123/QĐ-SKHCN ngày 20/02/2026",
        "Xếp loại: Giỏi",
    ):
        assert fragment in text, fragment
    assert "Ông" not in text
    an_text = text_of(_pdf_of(db, people["an"])[0])
    assert "Ông" in an_text and "Bà" not in an_text and "Xếp loại: Khá" in an_text
    # No team: the person's own unit, with the units above it.
    assert "Đơn vị: Ấp Thạnh Hòa, xã Tân Phong, huyện Thạnh Phú" in an_text
    khoa_text = text_of(_pdf_of(db, people["khoa"])[0])
    assert "Ông" not in khoa_text and "Bà" not in khoa_text and "Xếp loại" not in khoa_text
    with db.transaction(readonly=True) as s:
        given = sorted(s.scalars(select(Certificate.register_no)))
    assert given == [1, 2, 3]  # one number each, from the register's own counter


def test_one_serif_family_every_font_embedded_both_templates(issued_world) -> None:  # type: ignore[no-untyped-def]
    db, w, people, _team = issued_world
    for template, person in (("classic", "ha"), ("modern", "an")):
        with db.transaction() as s:
            configure(s, template=template)
            enrolment = s.scalar(select(Enrolment.id).where(Enrolment.person_id == people[person]))
            certificates.issue(s, w.course, [enrolment], on=date(2026, 3, 6))
        pdf, cert = _pdf_of(db, people[person])
        assert cert.snapshot["template"] == template
        found = fonts_of(pdf)
        assert set(found) == {
            "LiberationSerif",
            "LiberationSerif-Bold",
            "LiberationSerif-Italic",
        }, found
        assert all(found.values()), found


def test_a_reprint_prints_what_was_issued_whatever_changed_since(issued_world) -> None:  # type: ignore[no-untyped-def]
    db, w, people, team_id = issued_world
    with db.transaction() as s:
        certificates.issue(s, w.course, None, on=date(2026, 3, 6))
    before, cert = _pdf_of(db, people["ha"])
    with db.transaction() as s:  # the person, her team and the course are edited later
        person = s.get_one(Person, people["ha"])
        person.full_name, person.gender = "Nguyễn Thị Hà Sửa Tên", None
        s.get_one(Team, team_id).name = "Tổ công nghệ số cộng đồng ấp Phú Hòa Mới"
        course = s.get_one(Course, w.course)
        course.legal_basis = "Căn cứ Kế hoạch số 9/KH-SKHCN"
        course.grade_excellent, course.grade_good = 9.5, 9.0
    after, again = _pdf_of(db, people["ha"])
    assert after == before and again.pdf_sha256 == cert.pdf_sha256
    kept = json.dumps(cert.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert cert.pdf_sha256 == hashlib.sha256(kept.encode("utf-8")).hexdigest()
    assert again.register_no == cert.register_no
    text = text_of(after)
    assert "Bà" in text and "Xếp loại: Giỏi" in text and "Phú Hòa Mới" not in text


def test_the_team_is_the_one_of_the_issue_date(issued_world) -> None:  # type: ignore[no-untyped-def]
    db, _w, people, _team = issued_world
    with db.transaction(readonly=True) as s:
        ha = s.get_one(Person, people["ha"])
        before = certificate_wording.unit_line(s, ha, date(2025, 6, 15))
        after = certificate_wording.unit_line(s, ha, date(2026, 3, 6))
    assert before == "Tổ công nghệ số cộng đồng xã Tân Phong, huyện Thạnh Phú"
    assert after == NEW_UNIT


def test_no_legal_basis_no_bands_no_lines() -> None:
    from app.documents.certificate import CertificateData

    data = CertificateData(
        issuer_parent="UBND TỈNH VĨNH LONG", issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place="Vĩnh Long", signer_title="GIÁM ĐỐC", signer_name="Nguyễn Văn Tâm",
        full_name="Lê Văn An", birth_date=None, unit="", course_title="Kỹ năng số",
        period="từ ngày 02/03/2026 đến ngày 06/03/2026", venue="", result="Hoàn thành",
        serial="0001/GCN", issued_on=date(2026, 3, 6), verification_code="ABC",
        qr_text="TAPHUAN|0001/GCN|ABC",
    )  # fmt: skip
    text = text_of(render_one(data))
    assert "Căn cứ" not in text and "Xếp loại" not in text and "Số vào sổ" not in text
    assert "Số hiệu: 0001/GCN" in text


def test_the_longest_legal_basis_allowed_prints_whole() -> None:
    from app.documents.certificate import CertificateData
    from app.services.courses import MAX_LEGAL_BASIS

    words = ("Căn cứ Quyết định số 1234/QĐ-UBND ngày 15/02/2026 của Ủy ban nhân dân tỉnh Vĩnh Long "
             "về việc phê duyệt Kế hoạch tập huấn chuyển đổi số năm 2026; ") * 5  # fmt: skip
    for basis in (words, words.upper()):  # capitals are the widest it can be
        basis = basis[: MAX_LEGAL_BASIS - 4].rsplit(" ", 1)[0] + " HẾT"
        assert len(basis) <= MAX_LEGAL_BASIS
        data = CertificateData(
            issuer_parent="UBND TỈNH VĨNH LONG", issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            place="Vĩnh Long", signer_title="GIÁM ĐỐC", signer_name="Nguyễn Văn Tâm",
            full_name="Lê Văn An", birth_date="02/05/1986", unit="Xã Đại Điền",
            course_title="Kỹ năng số", period="từ ngày 02/03/2026 đến ngày 06/03/2026",
            venue="", result="Hoàn thành", serial="0001/GCN", issued_on=date(2026, 3, 6),
            verification_code="ABC", qr_text="TAPHUAN|0001/GCN|ABC", legal_basis=basis,
        )  # fmt: skip
        flat = " ".join(text_of(render_one(data)).split())
        assert basis.split()[-2] + " HẾT" in flat  # its very end is printed
        assert "Kết quả: Hoàn thành" in flat
