"""Build the messy spreadsheets people really send, for the import tests."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font


def messy_workbook(path: Path) -> Path:
    """Title rows, merged title, a two-row header ("Năm sinh" over Nam | Nữ), numbers that
    lost their zeros, dates as text and serials, a blank row, a duplicate, signatures."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"] = "UBND XÃ ĐẠI ĐIỀN"
    ws["A2"] = "DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"
    ws.merge_cells("A2:H2")
    ws["A2"].font = Font(bold=True)
    header = ["STT", "HỌ VÀ TÊN", "Năm sinh", None, "Số CCCD", "SĐT", "Đơn vị công tác", "Chức vụ"]
    for col, value in enumerate(header, start=1):
        ws.cell(row=4, column=col, value=value)
    ws.merge_cells("C4:D4")
    ws.cell(row=5, column=3, value="Nam")
    ws.cell(row=5, column=4, value="Nữ")
    rows: list[list[Any]] = [
        [
            1,
            "nguyễn  thị thanh hà",
            None,
            "02/05/1986",
            83186000123,
            903111222,
            "UBND xã",
            "Phó Chủ tịch",
        ],
        [2, "Trần Văn Bình", "1979", None, "083079000456", "0939.222.333", "VNPT", None],
        [None, None, None, None, None, None, None, None],
        [3, "Lê Văn An", 32874, None, None, "+84 868 123 456", "Đoàn xã", "Bí thư"],
        [4, "NGUYỄN THỊ THANH HÀ", None, "02/05/1986", None, None, None, "Phó Chủ tịch UBND"],
    ]
    for r, values in enumerate(rows, start=6):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    ws.cell(row=12, column=5, value="Đại Điền, ngày 15 tháng 11 năm 2022")
    ws.cell(row=13, column=2, value="Người lập biểu")
    ws.cell(row=13, column=6, value="TM. UBND XÃ")
    wb.save(path)
    return path


def simple_workbook(
    path: Path, header: list[str], rows: list[list[Any]], sheet: str = "Sheet1"
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
{shared}</Types>"""
_SHARED_CT = '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\n'
_SHARED_REL = '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\n'

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
{shared}</Relationships>"""


def raw_workbook(
    path: Path,
    sheet_data: str,
    dimension: str | None = None,
    shared_strings: Iterable[str] | None = None,
) -> Path:
    """A workbook written by hand, as other programs write them (cached formula values,
    a huge declared size, no <dimension> at all, a shared strings table: cells
    `<c t="s"><v>N</v></c>` point into it)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    shared = shared_strings is not None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(shared=_SHARED_CT * shared))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr(
            "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(shared=_SHARED_REL * shared)
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                for text in shared_strings:
                    fh.write(f"<si><t>{text}</t></si>".encode())
                fh.write(b"</sst>")
    return path


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def people_workbook(path: Path, rows: int) -> Path:
    """A clean list of `rows` people as departments send them (a title, then the header;
    birth dates as text, citizen IDs and phones as numbers that lost their zeros)."""
    import random

    import openpyxl

    rng = random.Random(7)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng"]
    middle = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu"]
    given = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Lan", "Nam", "Oanh", "Phúc", "Sơn", "Thảo"]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG KỸ NĂNG SỐ"])
    ws.append([])
    ws.append(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Số CCCD",
            "SĐT",
            "Đơn vị công tác",
            "Chức vụ",
        ]
    )
    for i in range(rows):
        year = rng.randint(1965, 2004)
        female = rng.random() < 0.5
        ws.append(
            [
                i + 1,
                f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                "Nữ" if female else "Nam",
                int(
                    f"086{(0 if year < 2000 else 2) + female}{year % 100:02d}{rng.randint(0, 999_999):06d}"
                ),
                int(
                    f"{rng.choice(['90', '91', '93', '94', '96', '97', '98', '86', '88', '39'])}{rng.randint(0, 9_999_999):07d}"
                ),
                "UBND xã",
                "Công chức",
            ]
        )
    wb.save(path)
    return path
