"""Nhập học viên từ Excel: file, columns, preview with per-row choices, result.

Reading and checking run in the worker thread; the write is one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.db import Database
from app.errors import UserError
from app.services import imports, lookups
from app.services.import_columns import FIELD_LABELS
from ui.workers import Task, TaskRunner

ACTIONS = {"update": "Cập nhật người đã có", "skip": "Bỏ qua", "create": "Tạo hồ sơ mới"}
Index = QModelIndex | QPersistentModelIndex


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Chọn tệp danh sách")
        self.setSubTitle(
            "Bảng tính Excel (.xlsx) hoặc CSV. TapHuan tự tìm dòng tiêu đề và các cột."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Đường dẫn tệp .xlsx hoặc .csv")
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self._browse)
        self.sheet_combo = QComboBox()
        self.course_combo = QComboBox()
        self.team_combo = QComboBox()
        self.error = QLabel("")
        self.error.setStyleSheet("color:#b00020")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Tệp", row)
        form.addRow("Trang tính", self.sheet_combo)
        form.addRow("Ghi danh vào khóa", self.course_combo)
        form.addRow("Thêm vào tổ", self.team_combo)
        form.addRow(self.error)
        self.path_edit.editingFinished.connect(self._load_sheets)

    def initializePage(self) -> None:
        with self.w.db.transaction(readonly=True) as s:
            courses, teams = lookups.courses(s), lookups.teams(s)
        for combo, items, none in (
            (self.course_combo, courses, "(không ghi danh)"),
            (self.team_combo, teams, "(không)"),
        ):
            combo.clear()
            combo.addItem(none, None)
            for value, label in items:
                combo.addItem(label, value)

    def _browse(self) -> None:
        last = str(self.w.settings.value("import/last_folder", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Chọn tệp danh sách",
            last,
            "Bảng tính (*.xlsx *.csv *.txt);;Mọi tệp (*)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.w.settings.setValue("import/last_folder", str(Path(path).parent))
            self.path_edit.setText(path)
            self._load_sheets()

    def _load_sheets(self) -> None:
        from app.spreadsheet import sheet_names

        self.sheet_combo.clear()
        self.error.setText("")
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            return
        try:
            self.sheet_combo.addItems(sheet_names(path))
        except UserError as exc:
            self.error.setText(exc.message)

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            self.error.setText("Hãy chọn một tệp có thật.")
            return False
        try:
            _, guess, head = imports.guess(path, self.sheet_combo.currentText() or None)
        except UserError as exc:
            self.error.setText(exc.message)
            return False
        self.w.path, self.w.sheet = path, self.sheet_combo.currentText() or None
        self.w.course_code = (
            self.course_combo.currentText().split(" – ")[0]
            if self.course_combo.currentData()
            else None
        )
        self.w.team_id = self.team_combo.currentData()
        self.w.guess, self.w.head = guess, head
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Các cột")
        self.setSubTitle("TapHuan đã đoán cột nào chứa gì; sửa lại nếu đoán sai.")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Cột", "Tiêu đề trong tệp", "Là"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.error = QLabel("")
        self.error.setStyleSheet("color:#b00020")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        guess = self.w.guess
        width = max((len(v) for _, v in self.w.head), default=0)
        self.table.setRowCount(width)
        self.combos: list[QComboBox] = []
        for col in range(width):
            heading = guess.headings.get(col, "") if guess else ""
            sample = next(
                (
                    str(v[col])
                    for n, v in self.w.head
                    if guess and n > guess.row and col < len(v) and v[col] is not None
                ),
                "",
            )
            self.table.setItem(col, 0, QTableWidgetItem(_letters(col)))
            self.table.setItem(
                col, 1, QTableWidgetItem(heading + (f"   (ví dụ: {sample})" if sample else ""))
            )
            combo = QComboBox()
            combo.addItem("(bỏ qua)", None)
            for key, label in FIELD_LABELS.items():
                combo.addItem(label, key)
            if guess and col in guess.mapping:
                combo.setCurrentIndex(combo.findData(guess.mapping[col]))
            self.table.setCellWidget(col, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(2, 210)

    def validatePage(self) -> bool:
        mapping = {col: c.currentData() for col, c in enumerate(self.combos) if c.currentData()}
        values = list(mapping.values())
        if len(values) != len(set(values)):
            self.error.setText("Mỗi loại thông tin chỉ chọn cho một cột.")
            return False
        if "full_name" not in values and not {"family_middle", "given_name"} <= set(values):
            self.error.setText("Cần một cột “Họ và tên” (hoặc hai cột “Họ và tên đệm” và “Tên”).")
            return False
        self.w.mapping = mapping
        return True


class PlanModel(QAbstractTableModel):
    HEADERS = ("Dòng", "Họ và tên", "Kết quả", "Chi tiết", "Xử lý")

    def __init__(self, plan: imports.ImportPlan) -> None:
        super().__init__()
        self.plan = plan
        self.actions: dict[int, str] = {r.row: "update" for r in plan.rows if r.match_id and r.ok}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.plan.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.plan.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return (
                QColor("#b00020")
                if not r.ok
                else QColor("#8a5300")
                if r.match_id
                else QColor("#1b6e20")
            )
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.EditRole,
        ):
            return None
        if col == 0:
            return str(r.row)
        if col == 1:
            return r.values.get("full_name", "")
        if col == 2:
            if not r.ok:
                return "Lỗi"
            return (
                f"Trùng {r.match_name} (mã {r.match_id}, {r.match_reason})"
                if r.match_id
                else "Thêm mới"
            )
        if col == 3:
            parts = [i.describe() for i in r.issues]
            if r.fills:
                parts.append("Bổ sung: " + ", ".join(FIELD_LABELS.get(f, f) for f in r.fills))
            parts += [
                f"{FIELD_LABELS.get(f, f)}: đang là “{a}”, tệp ghi “{b}”"
                for f, (a, b) in r.differences.items()
            ]
            if r.folded_rows:
                parts.append("Gộp các dòng trùng: " + ", ".join(map(str, r.folded_rows)))
            return "; ".join(parts)
        if col == 4 and r.row in self.actions:
            return ACTIONS[self.actions[r.row]]
        return ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 4 and self.plan.rows[index.row()].row in self.actions:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.plan.rows[index.row()].row
        if index.column() == 4 and row in self.actions and value in ACTIONS:
            self.actions[row] = value
            self.dataChanged.emit(index, index)
            return True
        return False


class ActionDelegate(QStyledItemDelegate):
    """A combo box only while a cell is edited: no widget per row for 10,000 rows."""

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for key, label in ACTIONS.items():
            combo.addItem(label, key)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findText(index.data())))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData())


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Xem trước")
        self.setSubTitle(
            "Chưa ghi gì. Kiểm tra từng dòng; với người đã có, chọn cách xử lý (bấm đúp ô “Xử lý”)."
        )
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.table = QTableView()
        self.table.setItemDelegateForColumn(4, ActionDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.skip_check = QCheckBox("Bỏ qua các dòng lỗi, ghi các dòng đúng")
        self.overwrite_check = QCheckBox("Ghi đè các giá trị khác của người đã có")
        self.skip_check.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.skip_check)
        layout.addWidget(self.overwrite_check)
        self.plan: imports.ImportPlan | None = None

    def initializePage(self) -> None:
        self.plan = None
        self.progress.show()
        self.summary.setText("Đang đọc và kiểm tra tệp…")
        path, sheet, mapping = self.w.path, self.w.sheet, self.w.mapping

        def work(task: Task) -> imports.ImportPlan:
            with self.w.db.transaction(readonly=True) as s:
                return imports.plan(s, path, sheet, mapping)

        self.w.runner.start(work, self._show, self._failed)

    def _show(self, plan: imports.ImportPlan) -> None:
        self.plan = plan
        self.progress.hide()
        self.model = PlanModel(plan)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for col, width in ((0, 50), (1, 190), (2, 230), (4, 170)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        new = sum(1 for r in plan.rows if r.ok and not r.match_id)
        matched = sum(1 for r in plan.rows if r.ok and r.match_id)
        self.summary.setText(
            f"Trang “{plan.sheet}”, tiêu đề ở dòng {plan.header.row}: {len(plan.rows)} người "
            f"({new} mới, {matched} đã có, {len(plan.bad_rows)} dòng lỗi); {plan.folded} dòng trùng trong tệp "
            f"đã gộp; {plan.blank_rows} dòng trống bỏ qua"
            + (f"; dừng ở dòng {plan.footer_row} (phần ký tên)." if plan.footer_row else ".")
        )
        self.completeChanged.emit()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.progress.hide()
        self.summary.setText(
            f"<span style='color:#b00020'>{getattr(exc, 'message', str(exc))}</span>"
        )

    def isComplete(self) -> bool:
        if self.plan is None:
            return False
        return not self.plan.bad_rows or self.skip_check.isChecked()


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Kết quả")
        self.label = QLabel("Đang ghi…")
        self.label.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.label)
        self.done = False

    def initializePage(self) -> None:
        self.done = False
        preview: PreviewPage = self.w.preview
        plan, actions = preview.plan, dict(preview.model.actions)
        skip, overwrite = preview.skip_check.isChecked(), preview.overwrite_check.isChecked()

        def work(_task: Task) -> imports.ImportSummary:
            with self.w.db.transaction() as s:
                summary = imports.apply(
                    s,
                    plan,
                    self.w.user,
                    actions=actions,
                    overwrite=overwrite,
                    skip_bad_rows=skip,
                    course_code=self.w.course_code,
                    team_id=self.w.team_id,
                )
            if summary.inserted >= 1_000:
                self.w.db.analyze()  # fresh statistics for the planner after a big load
            return summary

        self.w.runner.start(work, self._done, self._failed)

    def _done(self, summary: imports.ImportSummary) -> None:
        self.w.summary = summary
        self.label.setText("Đã ghi xong.\n\n" + summary.describe())
        self.done = True
        self.completeChanged.emit()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.label.setText("Không ghi gì.\n\n" + getattr(exc, "message", str(exc)))
        self.done = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done


class ImportWizard(QWizard):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        settings: QSettings,
        user: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.settings, self.user = db, runner, settings, user
        self.setWindowTitle("Nhập học viên từ Excel")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Xong")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.path: Path | None = None
        self.sheet: str | None = None
        self.mapping: dict[int, str] = {}
        self.course_code: str | None = None
        self.team_id: int | None = None
        self.guess: Any = None
        self.head: list[tuple[int, list[Any]]] = []
        self.summary: imports.ImportSummary | None = None
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.preview, self.result_page):
            self.addPage(page)
        self.resize(980, 640)


def _letters(col: int) -> str:
    out, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out
