"""Gộp hồ sơ: two records side by side; the user picks the one to keep."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from app import labels
from app.services.person_detail import PersonDetail
from app.services.person_edit import PersonRecord
from app.vn.dates import format_date
from ui.dialogs.form_dialog import FormDialog
from ui.widgets.screen import fit_contents

ROWS = (
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Số điện thoại",
    "Đơn vị",
    "Công tác",
    "Tổ",
    "Khóa học",
    "Chứng nhận",
)


class MergeDialog(FormDialog[int]):
    def __init__(
        self,
        records: list[PersonRecord],
        details: list[PersonDetail],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Gộp hai hồ sơ của cùng một người", parent, save_text="Gộp")
        self.records = records
        grid = QGridLayout()
        self.group = QButtonGroup(self)
        for col, (rec, det) in enumerate(zip(records, details, strict=True), start=1):
            radio = QRadioButton(f"Giữ hồ sơ mã {rec.id}")
            self.group.addButton(radio, rec.id)
            grid.addWidget(radio, 0, col)
            f = rec.form
            values = (
                f.full_name,
                (str(f.birth_date.year) if f.birth_year_only else format_date(f.birth_date))
                if f.birth_date
                else "",
                labels.GENDER.get(f.gender or "", ""),
                f.citizen_id or "",
                f.phone or "",
                rec.unit,
                ", ".join(x for x in (f.position, f.workplace) if x),
                "; ".join(m.team for m in det.memberships),
                str(len(det.courses)),
                str(len(det.certificates)),
            )
            for row, value in enumerate(values, start=1):
                label = QLabel(value)
                label.setWordWrap(True)
                grid.addWidget(label, row, col)
        for row, title in enumerate(ROWS, start=1):
            grid.addWidget(QLabel(f"<span style='color:gray'>{title}</span>"), row, 0)
        # Keep the record with more history by default.
        richer = max(
            zip(records, details, strict=True),
            key=lambda rd: (len(rd[1].courses), rd[0].form.citizen_id is not None),
        )
        self.group.button(richer[0].id).setChecked(True)
        note = QLabel(
            "Điểm danh, điểm số, thành viên tổ và chứng nhận của hồ sơ kia chuyển sang hồ sơ được giữ; "
            "ô trống của hồ sơ được giữ lấy giá trị từ hồ sơ kia. Hồ sơ kia được lưu trữ, không xóa. "
            "Có thể hoàn tác cho tới lần gộp sau."
        )
        note.setWordWrap(True)
        self.body.addLayout(grid)
        self.body.addWidget(note)
        fit_contents(self, 640)

    def collect(self) -> int:
        return self.group.checkedId()
