"""The marks a scanned sign-in sheet proposes, one row a signature cell, with what the user
decided for each: uncertain cells first, then those that contradict a mark entered by
hand, then the rest, in the order the pages were read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QPixmap

from app import labels
from app.services.sheet_scan import ABSENT, AGREES, PRESENT, Proposal

Index = QModelIndex | QPersistentModelIndex
CROP, NAME, SOURCE, READ, BEFORE, WRITE, OVERWRITE = range(7)
HEADERS = ["Ô ký tên", "Họ và tên", "Trang", "Đọc được", "Đã ghi trước", "Sẽ ghi", "Ghi đè"]
READ_TEXT = {
    "signed": "Có ký → Có mặt",
    "empty": "Không ký → Vắng",
    "uncertain": "Chưa chắc",
}
UNSURE_BG, CONFLICT_BG = QColor("#fff1bf"), QColor("#ffd9d9")
WRITE_BG = {PRESENT: QColor("#d7f5dc"), ABSENT: QColor("#ffe3e3")}
CROP_HEIGHT = 44  # pixels a crop is shown at: a signature cell is about 6 mm high


@dataclass
class ReviewRow:
    proposal: Proposal
    decision: str | None  # PRESENT, ABSENT, or None: leave the cell unwritten
    overwrite: bool = False  # the user's tick to replace a different mark entered before
    touched: bool = False  # the user decided this row (an uncertain one is then decided)

    @property
    def gone(self) -> bool:
        return self.proposal.enrolment_id is None

    @property
    def conflict(self) -> bool:
        """The decision contradicts the mark entered before: written only with the tick."""
        existing = self.proposal.existing
        return (
            self.decision is not None and existing is not None
            and existing not in AGREES[self.decision]
        )  # fmt: skip

    @property
    def settled(self) -> bool:
        existing = self.proposal.existing
        return self.decision is not None and existing in AGREES[self.decision]

    @property
    def writes(self) -> bool:
        """Pressing Ghi writes a mark for this row."""
        return (
            not self.gone and self.decision is not None and not self.settled
            and (not self.conflict or self.overwrite)
        )  # fmt: skip

    def outcome(self) -> str:
        if self.gone:
            return "Không ghi (đã rời khóa học)"
        if self.decision is None:
            unsure = self.proposal.proposed is None and not self.touched
            return "Chưa quyết: để trống" if unsure else "Để trống"
        label = labels.ATTENDANCE_STATUS[self.decision]
        if self.settled:
            before = labels.ATTENDANCE_STATUS.get(self.proposal.existing or "", "")
            return f"Giữ nguyên: {before} (đã ghi trước)"
        if self.conflict:
            return (
                f"{label} (ghi đè)"
                if self.overwrite
                else f"Không ghi: tích “Ghi đè” để ghi {label}"
            )
        return label


def review_order(proposals: list[Proposal]) -> list[Proposal]:
    """Uncertain cells first, then conflicts with marks entered by hand, then the rest."""

    def rank(p: Proposal) -> int:
        return 0 if p.proposed is None else 1 if p.conflict else 2

    return sorted(proposals, key=rank)  # stable: the reading order within each group


class ScanReviewTableModel(QAbstractTableModel):
    def __init__(self, proposals: list[Proposal], parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = [ReviewRow(p, p.proposed) for p in review_order(proposals)]
        self._pixmaps: dict[int, QPixmap] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def crop(self, row: int) -> QPixmap:
        """The cell's picture as read, scaled to the row height (made once)."""
        if row not in self._pixmaps:
            pixmap = QPixmap()
            pixmap.loadFromData(self.rows[row].proposal.crop_png, "PNG")
            if not pixmap.isNull():
                pixmap = pixmap.scaledToHeight(
                    CROP_HEIGHT, Qt.TransformationMode.SmoothTransformation
                )
            self._pixmaps[row] = pixmap
        return self._pixmaps[row]

    def crop_size(self) -> QSize:
        widths = [self.crop(r).width() for r in range(len(self.rows))]
        return QSize(max(widths, default=200), CROP_HEIGHT)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        p = r.proposal
        if role == Qt.ItemDataRole.DecorationRole and col == CROP:
            return self.crop(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                NAME: p.full_name,
                SOURCE: p.source,
                READ: READ_TEXT.get(p.state, p.state),
                BEFORE: labels.ATTENDANCE_STATUS.get(p.existing or "", ""),
                WRITE: r.outcome(),
            }.get(col)
        if role == Qt.ItemDataRole.ToolTipRole and col == CROP:
            return f"{p.full_name}: ô ký tên ở {p.source}, dòng {p.key[1]}"
        if role == Qt.ItemDataRole.CheckStateRole and col == OVERWRITE and r.conflict:
            return Qt.CheckState.Checked if r.overwrite else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if col == WRITE and r.writes and r.decision is not None:
                return WRITE_BG[r.decision]
            if p.proposed is None:
                return UNSURE_BG
            if r.conflict or p.conflict:
                return CONFLICT_BG
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() == OVERWRITE and self.rows[index.row()].conflict:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != OVERWRITE:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        return self.set_overwrite(index.row(), checked)

    # -- decisions ---------------------------------------------------------------------

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def decide(self, row: int, decision: str | None) -> None:
        r = self.rows[row]
        r.decision, r.touched = decision, True
        if not r.conflict:
            r.overwrite = False
        self._changed(row)

    def accept(self, row: int) -> None:
        """The reading's own proposal (an uncertain cell has none: it stays unwritten)."""
        self.decide(row, self.rows[row].proposal.proposed)

    def flip(self, row: int) -> None:
        self.decide(row, ABSENT if self.rows[row].decision == PRESENT else PRESENT)

    def set_overwrite(self, row: int, on: bool) -> bool:
        r = self.rows[row]
        if not r.conflict:
            return False
        r.overwrite = on
        self._changed(row)
        return True

    # -- what Ghi writes ---------------------------------------------------------------

    def decided(self) -> dict[tuple[str, int], str | None]:
        return {r.proposal.key: r.decision for r in self.rows}

    def overwrites(self) -> frozenset[tuple[str, int]]:
        return frozenset(r.proposal.key for r in self.rows if r.conflict and r.overwrite)

    def counts(self) -> tuple[int, int, int]:
        """(marks Ghi writes, cells left unwritten, conflicts without the tick)."""
        writes = sum(r.writes for r in self.rows)
        waiting = sum(r.conflict and not r.overwrite and not r.gone for r in self.rows)
        left = sum(not r.writes and not r.settled for r in self.rows)
        return writes, left, waiting
