"""Nhập học viên từ Excel: file, columns, preview with per-row choices, result.

Reading and checking run in the worker thread; the write is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.errors import UserError
from app.services import imports
from app.services.courses import CourseRow
from app.services.import_columns import FIELD_LABELS
from app.spreadsheet import column_letters
from ui.itemmodels.import_plan_model import ActionDelegate, ImportPlanTableModel
from ui.widgets.course_picker import CoursePicker
from ui.workers import Task, TaskRunner


@dataclass(frozen=True)
class ImportJobs:
    """What the wizard may read and do, given by the page (ui/import_jobs.py); plan and
    apply run in the worker thread, each in its own transaction."""

    courses: Callable[[], list[CourseRow]]
    teams: Callable[[], list[tuple[int, str]]]
    plan: Callable[[Path, str | None, dict[int, str], bool], imports.ImportPlan]
    apply: Callable[..., imports.ImportSummary]  # (plan, **the options of imports.apply)


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
        self.course_combo = CoursePicker("(không ghi danh)")
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
        self.course_combo.set_courses(self.w.jobs.courses())
        self.team_combo.clear()
        self.team_combo.addItem("(không)", None)
        for value, label in self.w.jobs.teams():
            self.team_combo.addItem(label, value)

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
        from app.spreadsheet import sheets

        self.sheet_combo.clear()
        self.error.setText("")
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            return
        try:
            found = sheets(path)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        for sheet in found:  # a hidden sheet holds lookup lists more often than people
            self.sheet_combo.addItem(
                f"{sheet.name} (ẩn)" if sheet.hidden else sheet.name, sheet.name
            )
        visible = next((i for i, sheet in enumerate(found) if not sheet.hidden), 0)
        self.sheet_combo.setCurrentIndex(visible)

    def sheet(self) -> str | None:
        """The chosen sheet's own name (the list shows hidden ones marked "(ẩn)")."""
        name = self.sheet_combo.currentData()
        return str(name) if name else None

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            self.error.setText("Hãy chọn một tệp có thật.")
            return False
        try:
            _, guess, head = imports.guess(path, self.sheet())
        except UserError as exc:
            self.error.setText(exc.message)
            return False
        self.w.path, self.w.sheet = path, self.sheet()
        course = self.course_combo.course()
        self.w.course_code = course.code if course else None
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
            self.table.setItem(col, 0, QTableWidgetItem(column_letters(col)))
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
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # Rows keep one line (10,000 of them scroll fast); the chosen row's details in full:
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Rows that are not people, hidden rows and sheets, columns not used: listed.
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(110)
        self.notes.hide()
        self.skip_check = QCheckBox("Bỏ qua các dòng lỗi, ghi các dòng đúng")
        self.overwrite_check = QCheckBox("Ghi đè các giá trị khác của người đã có")
        self.strict_check = QCheckBox(
            "Nhập chặt chẽ: coi mỗi cảnh báo là lỗi (giá trị đáng ngờ thì không ghi gì)"
        )
        self.skip_check.toggled.connect(self.completeChanged)
        self.strict_check.toggled.connect(self.initializePage)  # the plan depends on it
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.notes)
        layout.addWidget(self.strict_check)
        layout.addWidget(self.skip_check)
        layout.addWidget(self.overwrite_check)
        self.plan: imports.ImportPlan | None = None
        self._generation = 0  # a plan for a since-changed choice is dropped when it arrives

    def initializePage(self) -> None:
        self.plan = None
        self.completeChanged.emit()
        self.progress.show()
        self.summary.setText("Đang đọc và kiểm tra tệp…")
        path, sheet, mapping = self.w.path, self.w.sheet, self.w.mapping
        strict = self.strict_check.isChecked()
        self._generation += 1
        generation = self._generation

        def work(task: Task) -> imports.ImportPlan:
            return self.w.jobs.plan(path, sheet, mapping, strict)

        def show(plan: imports.ImportPlan) -> None:
            if generation == self._generation:
                self._show(plan)

        def failed(exc: BaseException, details: str) -> None:
            if generation == self._generation:
                self._failed(exc, details)

        self.w.runner.start(work, show, failed)

    def _show(self, plan: imports.ImportPlan) -> None:
        self.plan = plan
        self.progress.hide()
        self.model = ImportPlanTableModel(plan)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for col, width in ((0, 50), (1, 180), (2, 170), (4, 150)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        first = next((n for n, r in enumerate(plan.rows) if r.issues), 0)
        self.detail.setText("")
        if plan.rows:
            self.table.setCurrentIndex(self.model.index(first, 1))
        new = sum(1 for r in plan.rows if r.ok and not r.match_id)
        matched = sum(1 for r in plan.rows if r.ok and r.match_id)
        warned = len({i.row for i in plan.warnings})
        self.summary.setText(
            f"Trang “{plan.sheet}”, tiêu đề ở dòng {plan.header.row}: {len(plan.rows)} người "
            f"({new} mới, {matched} đã có, {len(plan.bad_rows)} dòng lỗi); {plan.folded} dòng trùng trong tệp "
            f"đã gộp; {plan.blank_rows} dòng trống bỏ qua"
            + (f"; dừng ở dòng {plan.footer_row} (phần ký tên)." if plan.footer_row else ".")
            + (
                f" {warned} dòng có cảnh báo: giá trị đáng ngờ được bỏ, người vẫn được nhập "
                "(xem cột “Chi tiết”)."
                if warned
                else ""
            )
            + "\n"
            + plan.tally().sentence()
        )
        notes = plan.notes()
        self.notes.setPlainText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.completeChanged.emit()

    def _show_detail(self, current: Any, _previous: Any = None) -> None:
        text = self.model.index(current.row(), 3).data() if current.isValid() else ""
        row = self.model.index(current.row(), 0).data() if current.isValid() else ""
        self.detail.setText(text if not text or text.startswith("Dòng") else f"Dòng {row}: {text}")

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
    """What was written, and where every row of the sheet went, adding up to its rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Kết quả")
        self.label = QLabel("Đang ghi…")
        self.label.setWordWrap(True)
        self.tally_table = QTableWidget(0, 2)
        self.tally_table.setHorizontalHeaderLabels(["Các dòng của trang tính", "Số dòng"])
        self.tally_table.verticalHeader().hide()
        self.tally_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tally_table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.tally_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.tally_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tally_table.hide()
        self.warnings_label = QLabel("")
        self.warnings = QPlainTextEdit()
        self.warnings.setReadOnly(True)
        self.warnings.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.warnings_label.hide()
        self.warnings.hide()
        columns = QHBoxLayout()
        columns.addWidget(self.tally_table, 2)
        side = QVBoxLayout()
        side.addWidget(self.warnings_label)
        side.addWidget(self.warnings, 1)
        columns.addLayout(side, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(columns, 1)
        self.done = False

    def initializePage(self) -> None:
        self.done = False
        preview: PreviewPage = self.w.preview
        plan, actions = preview.plan, dict(preview.model.actions)
        skip, overwrite = preview.skip_check.isChecked(), preview.overwrite_check.isChecked()

        def work(_task: Task) -> imports.ImportSummary:
            return self.w.jobs.apply(
                plan,
                actions=actions,
                overwrite=overwrite,
                skip_bad_rows=skip,
                course_code=self.w.course_code,
                team_id=self.w.team_id,
            )

        self.w.runner.start(work, self._done, self._failed)

    def _done(self, summary: imports.ImportSummary) -> None:
        self.w.summary = summary
        extra = []
        if summary.enrolment is not None:
            extra.append(summary.enrolment.describe())
        if summary.added_to_team:
            extra.append(f"Đã thêm {summary.added_to_team} người vào tổ.")
        self.label.setText(" ".join(["Đã ghi xong.", *extra]))
        self._show_tally(summary.tally)
        notes = [i.describe() for i in summary.warnings]
        skipped = [i.describe() for i in summary.bad] if summary.errors_skipped else []
        if notes or skipped or summary.notes:
            self.warnings_label.setText(
                f"Cảnh báo ({len(notes)})"
                + (f" và lỗi đã bỏ qua ({len(skipped)})" if skipped else "")
                + ("; các dòng không nhập, ghi chú" if summary.notes else "")
            )
            self.warnings.setPlainText("\n".join([*notes, *skipped, *summary.notes]))
            self.warnings_label.show()
            self.warnings.show()
        self.done = True
        self.completeChanged.emit()

    def _show_tally(self, tally: imports.Tally) -> None:
        rows: list[tuple[str, int]] = list(tally.parts)
        if tally.errors_skipped:
            rows = [
                (f"{label} (đã bỏ qua, không ghi)" if label == "Dòng lỗi" else label, n)
                for label, n in rows
            ]
        agree = "khớp" if tally.total == tally.rows else "KHÔNG khớp"
        rows.append((f"Cộng ({agree} với {tally.rows} dòng của trang tính)", tally.total))
        self.tally_table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for r, (label, n) in enumerate(rows):
            name, count = QTableWidgetItem(label), QTableWidgetItem(str(n))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if r == len(rows) - 1:
                name.setFont(bold)
                count.setFont(bold)
            self.tally_table.setItem(r, 0, name)
            self.tally_table.setItem(r, 1, count)
        self.tally_table.show()

    def tally_rows(self) -> list[tuple[str, str]]:
        """The table as text, for a test or a screen reader."""
        table = self.tally_table
        return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]

    def _failed(self, exc: BaseException, details: str) -> None:
        message = getattr(exc, "message", str(exc))
        first, _, rest = message.partition("\n")
        self.label.setText(first if first.startswith("Không ghi gì") else f"Không ghi gì. {first}")
        if rest:  # up to twenty rows named: a box that scrolls, not a label that overflows
            self.warnings_label.setText("Chi tiết")
            self.warnings.setPlainText(rest)
            self.warnings_label.show()
            self.warnings.show()
        self.done = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done


class ImportWizard(QWizard):
    def __init__(
        self,
        jobs: ImportJobs,
        runner: TaskRunner,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.jobs, self.runner, self.settings = jobs, runner, settings
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
