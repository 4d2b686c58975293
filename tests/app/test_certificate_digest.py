"""Issue 18: the register keeps the SHA-256 of the canonical snapshot, no PDF is rendered
to hash it, an older certificate's PDF digest still checks out, and per-person files
rendered in parallel processes are the bytes a single process renders."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import certificate_pool
from app.db import Database
from app.documents import certificate
from app.documents.certificate import CertificateData, render_one
from app.services import certificate_digest, certificates
from models import Certificate
from tests.app import certificate_digests
from tests.app.clirun import run
from tests.app.test_certificate_files import COURSE, printed, ready  # noqa: F401 - the fixture
from tests.app.test_certificates import configure, done  # noqa: F401 - the fixture


def test_issuing_renders_no_pdf_and_keeps_the_snapshot_digest(done, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    db, w, _people, _enr = done
    rendered = [0]
    real = certificate.render_certificates

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        rendered[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(certificate, "render_certificates", counted)
    with db.transaction() as s:
        configure(s)
        issued = certificates.issue(s, w.course, None, on=date(2026, 11, 28))
    assert len(issued) == 3 and rendered[0] == 0  # nothing asked for a file: none rendered
    with db.transaction(readonly=True) as s:
        for cert in s.scalars(select(Certificate)):
            assert cert.snapshot["template_version"] == 3
            assert cert.pdf_sha256 == certificate_digests.canonical_sha256(cert.snapshot)


def test_an_older_certificate_keeps_its_pdf_digest_and_still_checks_out(  # type: ignore[no-untyped-def]
    ready,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, path = ready
    code, _out, _err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                           "--out", str(tmp_path / "c.pdf"))  # fmt: skip
    assert code == 0
    database = Database(str(path), must_exist=True)
    try:  # made as a certificate issued before issue 18: no version, its PDF's digest
        with database.transaction() as s:
            cert = s.scalars(select(Certificate).order_by(Certificate.id)).first()
            assert cert is not None
            old = {k: v for k, v in cert.snapshot.items() if k != "template_version"}
            cert.snapshot = old
            cert.pdf_sha256 = hashlib.sha256(render_one(certificates.data_of(s, old))).hexdigest()
            serial = cert.serial
    finally:
        database.close(optimize=False)
    folder = tmp_path / "in-lai"
    code, _out, _err = run(capsys, *db, "certificates", "reprint", "--course", COURSE,
                           "--out-dir", str(folder))  # fmt: skip
    assert code == 0
    files = {printed(f)[0][0]: f.read_bytes() for f in folder.iterdir()}
    assert len(files) == 3
    for data in files.values():  # the old one by its PDF's digest, the others by snapshot
        assert certificate_digests.problem(path, data) is None
    assert not certificate_digest.matches(old, hashlib.sha256(files[serial]).hexdigest())
    assert certificate_digest.matches(old, hashlib.sha256(files[serial]).hexdigest(), files[serial])
    # The digest is of the snapshot as sorted-key compact JSON, whatever the key order.
    shuffled = dict(reversed(list(old.items())))
    assert certificate_digest.canonical(shuffled) == json.dumps(
        old, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def _many(n: int) -> list[CertificateData]:
    base = CertificateData(
        issuer_parent="UBND TỈNH VĨNH LONG", issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place="Vĩnh Long", signer_title="GIÁM ĐỐC", signer_name="Nguyễn Văn Tâm",
        full_name="", birth_date="02/05/1986", unit="Ấp Thạnh Hòa, xã Đại Điền",
        course_title="Tập huấn kỹ năng số", period="từ ngày 02/03/2026 đến ngày 06/03/2026",
        venue="", result="Hoàn thành", serial="", issued_on=date(2026, 3, 6),
        verification_code="", qr_text="",
    )  # fmt: skip
    return [
        replace(
            base,
            full_name=f"Nguyễn Thị Thanh Hà {i}",
            serial=f"{i:04d}/GCN",
            verification_code=f"ABCDE{i:05d}",
            qr_text=f"TAPHUAN|{i:04d}/GCN|ABCDE{i:05d}",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("signing", [False, True])
def test_files_rendered_in_parallel_are_the_bytes_of_one_process(signing: bool) -> None:
    items = _many(certificate_pool.SLICE * 2 + 3)  # three slices, the last one short
    parallel = list(certificate_pool.render_each(items, signing, processes=2))
    serial = list(certificate_pool.render_each(items, signing, processes=1))
    assert len(parallel) == len(items) and parallel == serial
    assert parallel[7] == render_one(items[7], signing=signing)
    assert printed_serial(parallel[-1]) == items[-1].serial


def printed_serial(pdf: bytes) -> str:
    return (PdfReader(io.BytesIO(pdf)).metadata.title or "").removeprefix("Giấy chứng nhận ")
