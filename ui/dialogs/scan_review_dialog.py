"""The review of signed sign-in sheets read back from scans, before anything is written:
the pages with what they are (or why they were skipped), the grid of proposed marks with
each cell's picture, and the names written by hand on blank rows.

Keyboard: Up/Down to move; Space or Enter accepts the reading's proposal; F flips Có mặt /
Vắng, 1 sets Có mặt, 0 sets Vắng; Delete leaves the cell unwritten; G ticks "Ghi đè" where
the decision differs from a mark entered before. The dialog only asks: "Ghi" hands the
decisions to the page's saver (one transaction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.scan import ink
from app.services.scan_walk_ins import WalkInChoice
from app.services.sheet_scan import ABSENT, PRESENT, ScanPlan, WalkIn
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
SIGNATURE_SAID = {ink.SIGNED: "có chữ ký", ink.EMPTY: "trống", ink.UNCERTAIN: "chưa chắc"}
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
    walk_ins: tuple[WalkInChoice, ...] = ()  # handwritten names matched: added and marked


FindPerson = Callable[[QWidget], tuple[int, str] | None]  # (person id, name) on file
NewPerson = Callable[[QWidget], tuple[str, str | None] | None]  # (name, phone)


class ScanReviewDialog(FormDialog[ScanDecision]):
    def __init__(
        self,
        plan: ScanPlan,
        walk_ins: list[WalkIn] | None = None,
        find_person: FindPerson | None = None,
        new_person: NewPerson | None = None,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__("Xem lại bảng ký tên đã quét", parent, save_text="Ghi", settings=settings)
        self.plan = plan
        self.walk_in_rows = walk_ins or []
        self.matched: dict[int, WalkInChoice] = {}
        self.find_person, self.new_person = find_person, new_person
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
        self.walk_ins.setGridSize(QSize(330, 64 + 2 * self.fontMetrics().height() + 10))
        self.walk_ins.setWordWrap(True)
        for w in self.walk_in_rows:
            pixmap = QPixmap()
            pixmap.loadFromData(w.crop_png, "PNG")
            item = QListWidgetItem(QIcon(pixmap), "")
            item.setToolTip(f"Tên viết tay ở {w.where}")
            self.walk_ins.addItem(item)
        for i in range(len(self.walk_in_rows)):
            self._show_walk_in(i)
        self.walk_ins.setMaximumHeight(self.walk_ins.gridSize().height() + 12)
        if self.walk_in_rows:
            self.walk_ins.setCurrentRow(0)
        self.walk_ins_label = QLabel(
            f"{len(self.walk_in_rows)} dòng trống có tên viết tay: chọn một tên rồi ghép với "
            "người đã có hoặc thêm người mới; khi bấm Ghi, người đó được ghi danh (người đến "
            "lớp) và ghi có mặt. Tên chưa ghép thì không ghi."
        )
        self.walk_ins_label.setWordWrap(True)
        self.match_button = QPushButton("Ghép với người đã có…")
        self.match_button.clicked.connect(self._match_existing)
        self.new_button = QPushButton("Thêm người mới…")
        self.new_button.clicked.connect(self._match_new)
        self.unmatch_button = QPushButton("Bỏ ghép")
        self.unmatch_button.clicked.connect(self._unmatch)
        walk_in_buttons = QHBoxLayout()
        for button in (self.match_button, self.new_button, self.unmatch_button):
            button.setAutoDefault(False)  # Enter stays the grid's (and Ghi the default)
            walk_in_buttons.addWidget(button)
        walk_in_buttons.addStretch(1)
        self.match_button.setEnabled(find_person is not None)
        self.new_button.setEnabled(new_person is not None)

        self.help = QLabel(KEYS_HELP)
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: palette(mid);")
        self.summary = QLabel("")
        self.summary.setObjectName("scanSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.pages_label)
        self.body.addWidget(self.pages)
        grid_label = QLabel("Đề xuất điểm danh (ô chưa chắc lên đầu, tô vàng; ô khác điểm danh "
                            "đã ghi tô đỏ):")  # fmt: skip
        grid_label.setWordWrap(True)
        # The grid and the handwritten names share the height: the border between them can
        # be dragged (a small screen, or many names).
        grid_part, names_part = QWidget(), QWidget()
        grid_box, names_box = QVBoxLayout(grid_part), QVBoxLayout(names_part)
        for box in (grid_box, names_box):
            box.setContentsMargins(0, 0, 0, 0)
        grid_box.addWidget(grid_label)
        grid_box.addWidget(self.table, 1)
        names_box.addWidget(self.walk_ins_label)
        names_box.addWidget(self.walk_ins, 1)
        names_box.addLayout(walk_in_buttons)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(grid_part)
        self.split.addWidget(names_part)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        names_part.setVisible(bool(self.walk_in_rows))
        self.body.addWidget(self.split, 1)
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

    # -- handwritten names on blank rows ------------------------------------------------

    def _show_walk_in(self, i: int) -> None:
        w, chosen = self.walk_in_rows[i], self.matched.get(i)
        if chosen is None:
            said = "chưa ghép"
        elif chosen.person_id is None:
            said = f"{chosen.full_name} (người mới)"
        else:
            said = f"{chosen.full_name} (đã có trong dữ liệu)"
        signed = SIGNATURE_SAID.get(w.signature, "chưa chắc")
        self.walk_ins.item(i).setText(f"{w.where}: {said}; ô Ký tên {signed}")

    def _match_existing(self) -> None:
        i = self.walk_ins.currentRow()
        if i < 0 or self.find_person is None:
            return
        found = self.find_person(self)
        if found is not None:
            person_id, name = found
            self.matched[i] = WalkInChoice(self.walk_in_rows[i], name, person_id)
            self._show_walk_in(i)
            self._summarise()

    def _match_new(self) -> None:
        i = self.walk_ins.currentRow()
        if i < 0 or self.new_person is None:
            return
        given = self.new_person(self)
        if given is not None:
            name, phone = given
            self.matched[i] = WalkInChoice(self.walk_in_rows[i], name, None, phone)
            self._show_walk_in(i)
            self._summarise()

    def _unmatch(self) -> None:
        i = self.walk_ins.currentRow()
        if i >= 0 and self.matched.pop(i, None) is not None:
            self._show_walk_in(i)
            self._summarise()

    # -- the result --------------------------------------------------------------------

    def _summarise(self) -> None:
        writes, left, waiting = self.model.counts()
        text = f"Khi bấm Ghi: ghi {writes} điểm danh, để lại {left} ô"
        if waiting:
            text += f" (trong đó {waiting} ô khác điểm danh đã ghi, chưa tích “Ghi đè”)"
        if self.walk_in_rows:
            text += f"; thêm {len(self.matched)}/{len(self.walk_in_rows)} người đến lớp"
        self.summary.setText(text + ".")

    def collect(self) -> ScanDecision:
        walk_ins = tuple(self.matched[i] for i in sorted(self.matched))
        return ScanDecision(self.model.decided(), self.model.overwrites(), walk_ins)
