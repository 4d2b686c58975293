"""The placement of the visible digital signature per certificate template (sign_box_classic,
sign_box_modern): "x y w h" in mm, checked when set, used by signature_spot."""

from __future__ import annotations

import pytest

from app.db import Database
from app.documents.certificate import signature_spot
from app.services import sign_settings
from tests.app.clirun import run
from tests.app.test_setting_images import written
from tests.app.test_signing import certificate

MM = 72 / 25.4


def test_a_set_box_moves_the_signature_and_blank_is_the_layouts_own(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(sqlite_db.path))
    assert run(capsys, *db, "settings", "set", "sign_box_modern", "170,5  20 95 32")[0] == 0
    with sqlite_db.transaction(readonly=True) as s:
        assert sign_settings.sign_box(s, "modern") == (170.5, 20, 95, 32)
        assert sign_settings.sign_box(s, "classic") is None
    d = certificate("modern")
    box = signature_spot(d, (170.5, 20, 95, 32)).box
    assert box == pytest.approx((170.5 * MM, 20 * MM, 265.5 * MM, 52 * MM))
    assert signature_spot(d, None) == signature_spot(d)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("175 24 90", "ghi bốn số mm “x y rộng cao”"),
        ("a b c d", "ghi bốn số mm “x y rộng cao”"),
        ("175 24 10 5", "chỗ ký quá nhỏ"),
        ("250 24 90 30", "chỗ ký ra ngoài trang A4 ngang"),
    ],
)
def test_a_bad_box_is_refused_in_vietnamese_and_nothing_is_written(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], value: str, said: str
) -> None:
    before = written(sqlite_db)
    code, out, err = run(capsys, "--db", str(sqlite_db.path), "settings", "set",
                         "sign_box_classic", value)  # fmt: skip
    assert (code, out) == (3, "")
    assert said in err and "Ký số: chỗ chữ ký số trên mẫu cổ điển" in err, err
    assert written(sqlite_db) == before
