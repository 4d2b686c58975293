"""The review of signed sign-in sheets read back from scans, before anything is written:
the pages with what they are (or why they were skipped), the grid of proposed marks with
each cell's picture, and the names written by hand on blank rows.

Keyboard: Up/Down to move; Space or Enter accepts the reading's proposal; F flips Có mặt /
Vắng, 1 sets Có mặt, 0 sets Vắng; Delete leaves the cell unwritten; G ticks "Ghi đè" where
the decision differs from a mark entered before. The dialog only asks: "Ghi" hands the
decisions to the page's saver (one transaction)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QWidget,
)

from app.services.sheet_scan import ABSENT, PRESENT, ScanPlan
from ui.dialogs.form_dialog import FormDialog
from ui.itemmodels.scan_review_model import (
    CROP,
    NAME,
    OVERWRITE,
    READ,
    SOURCE,
    WRITE,
    ScanReviewTableModel,
)

SKIPPED = QColor("#b00020")
KEYS_HELP = (
    "Phím: ↑/↓ để đi; Space hoặc Enter: nhận đề xuất; F: đổi Có mặt/Vắng; 1: Có mặt; "
    "0: Vắng; Delete: để trống (không ghi); G: tích/bỏ “Ghi đè” (ô khác điểm danh đã ghi)."
)


@dataclass(frozen=True)
class ScanDecision:
    """What "Ghi" hands to sheet_scan.apply: the mark for each cell (None: leave it) and
    the cells whose differing hand-entered mark may be replaced."""

    decided: dict[tuple[str, int], str | None]
    overwrite: frozenset[tuple[str, int]]


class ScanReviewDialog(FormDialog[ScanDecision]):
    def __init__(
        self, plan: ScanPlan, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__("Xem lại bảng ký tên đã quét", parent, save_text="Ghi", settings=settings)
        self.plan = plan
        read = [p for p in plan.pages if p.problem is None]
        self.pages_label = QLabel(
            f"Đã đọc {len(plan.pages)} trang: {len(read)} trang dùng được, "
            f"{len(plan.pages) - len(read)} trang bỏ qua."
        )
        self.pages = QListWidget()
        self.pages.setObjectName("scanPages")
        for page in plan.pages:
            if page.problem is None:
                item = QListWidgetItem(f"{page.source}: {page.title}")
            else:
                item = QListWidgetItem(f"{page.source}: bỏ qua, {page.problem}")
                item.setForeground(QBrush(SKIPPED))
            item.setToolTip(item.text())
            self.pages.addItem(item)
        rows = max(1, min(len(plan.pages), 4))
        self.pages.setFixedHeight(
            rows * self.pages.sizeHintForRow(0) + 2 * self.pages.frameWidth() + 4
        )

        self.model = ScanReviewTableModel(plan.proposals, self)
        self.table = QTableView()
        self.table.setObjectName("scanProposals")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        crop = self.model.crop_size()
        self.table.setIconSize(crop)
        self.table.verticalHeader().setDefaultSectionSize(crop.height() + 8)
        header = self.table.horizontalHeader()
        self.table.setColumnWidth(CROP, crop.width() + 12)
        self.table.setColumnWidth(NAME, 190)
        self.table.setColumnWidth(SOURCE, 190)
        self.table.setColumnWidth(READ, 130)
        header.setSectionResizeMode(WRITE, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(OVERWRITE, 70)
        self.table.setWordWrap(True)
        self.table.installEventFilter(self)
        self.model.dataChanged.connect(lambda *_: self._summarise())

        self.walk_ins = QListWidget()
        self.walk_ins.setObjectName("scanWalkIns")
        self.walk_ins.setViewMode(QListView.ViewMode.IconMode)
        self.walk_ins.setFlow(QListView.Flow.LeftToRight)
        self.walk_ins.setWrapping(False)
        self.walk_ins.setMovement(QListView.Movement.Static)
        self.walk_ins.setIconSize(QSize(300, 64))
        self.walk_ins.setSpacing(6)
        for where, png in plan.walk_ins:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            item = QListWidgetItem(QIcon(pixmap), f"{where}: chưa ghép")
            item.setToolTip(f"Tên viết tay ở {where}")
            self.walk_ins.addItem(item)
        self.walk_ins.setFixedHeight(64 + self.walk_ins.fontMetrics().height() + 28)
        self.walk_ins_label = QLabel(
            f"{len(plan.walk_ins)} dòng trống có tên viết tay (chưa ghép, không ghi khi bấm "
            "Ghi): thêm người bằng “Người đến lớp…” trên trang Điểm danh."
        )
        self.walk_ins_label.setWordWrap(True)
        for widget in (self.walk_ins, self.walk_ins_label):
            widget.setVisible(bool(plan.walk_ins))

        self.help = QLabel(KEYS_HELP)
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: palette(mid);")
        self.summary = QLabel("")
        self.summary.setObjectName("scanSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.pages_label)
        self.body.addWidget(self.pages)
        self.body.addWidget(QLabel("Đề xuất điểm danh (ô chưa chắc lên đầu, tô vàng; ô khác "
                                   "điểm danh đã ghi tô đỏ):"))  # fmt: skip
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.walk_ins_label)
        self.body.addWidget(self.walk_ins)
        self.body.addWidget(self.help)
        self.body.addWidget(self.summary)
        self.resize(1080, 720)
        self._summarise()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, NAME))
        self.table.setFocus()

    # -- keyboard ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() not in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            ):
                return super().eventFilter(watched, event)
            row = self.table.currentIndex().row()
            if row < 0:
                return super().eventFilter(watched, event)
            key, text = event.key(), event.text().lower()
            if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.model.accept(row)  # Enter here is not the dialog's Ghi
                self._down(row)
                return True
            if text in ("1", "0"):
                self.model.decide(row, PRESENT if text == "1" else ABSENT)
                self._down(row)
                return True
            if text == "f":
                self.model.flip(row)
                return True
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.model.decide(row, None)
                return True
            if text == "g":
                r = self.model.rows[row]
                self.model.set_overwrite(row, not r.overwrite)
                return True
        return super().eventFilter(watched, event)

    def _down(self, row: int) -> None:
        if row + 1 < self.model.rowCount():
            self.table.setCurrentIndex(
                self.model.index(row + 1, self.table.currentIndex().column())
            )

    # -- the result --------------------------------------------------------------------

    def _summarise(self) -> None:
        writes, left, waiting = self.model.counts()
        text = f"Khi bấm Ghi: ghi {writes} điểm danh, để lại {left} ô"
        if waiting:
            text += f" (trong đó {waiting} ô khác điểm danh đã ghi, chưa tích “Ghi đè”)"
        self.summary.setText(text + ".")

    def collect(self) -> ScanDecision:
        return ScanDecision(self.model.decided(), self.model.overwrites())
