"""Chứng nhận: issued certificates with their status; issue for a course (review, preview,
progress with cancel), reprint (preview, print, save combined or one file a person),
revoke, reissue, verify, the register, and the verification site (ui/verify_site_export).

A trainer sees the certificates of the courses they teach; the page offers issuing only
when the services allow it (certificate_rights) and never revoking or reissuing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app import labels
from app.certificate_files import (
    NOTHING_ISSUED,
    NotIssuedToFiles,
    Targets,
    issued_but_not_placed,
    write_after_commit,
)
from app.documents.certificate import CertificateData, render_certificates
from app.services import (
    certificate_preview,
    certificate_register,
    certificate_rights,
    certificates,
    courses,
    settings,
    verification,
)
from app.signed_files import SigningStopped, key_plan, open_signer, write_signed
from app.staging import FileProblem
from app.vn.dates import format_date
from ui.changes import AUDIT, CERTIFICATES, COURSES, PEOPLE, SETTINGS
from ui.context import UiContext
from ui.crash import show_error
from ui.dialogs.issue_dialog import IssueChoices, IssueDialog
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.dialogs.verify_dialog import VerifyDialog
from ui.files import ask_save_path
from ui.pages.base import Page
from ui.sign_prompt import ask_secret, offer_signing
from ui.verify_site_export import VerifySiteExport
from ui.widgets.course_picker import CoursePicker
from ui.widgets.empty_state import show_when_empty
from ui.widgets.sort_item import SortItem
from ui.workers import Cancelled, Task

HEADERS = ("Số hiệu", "Họ và tên", "Khóa", "Ngày cấp", "Hết hạn", "Trạng thái", "Ghi chú")
ISSUED = frozenset({CERTIFICATES, COURSES})  # the course list counts certificates
STATUS_COLOUR = {
    "revoked": "#b00020",
    "replaced": "#6b6b6b",
    "expired": "#b35c00",
    "expiring": "#8a6d00",
}


def _pdf(items: list, title: str) -> bytes:  # type: ignore[type-arg]
    out = io.BytesIO()
    render_certificates([d for d, _ in items], out, title)
    return out.getvalue()


EMPTY = ("Chưa cấp giấy chứng nhận nào. Chọn khóa học đã kết thúc rồi bấm Cấp giấy chứng "
         "nhận (Ctrl+N).")  # fmt: skip
NO_MATCH = ("Không có giấy chứng nhận nào khớp với ô tìm kiếm và bộ lọc. Xóa chữ đã gõ hoặc "
            "chọn khóa “Tất cả”, “Mọi năm”.")  # fmt: skip


class CertificatesPage(Page):
    shows = frozenset({COURSES, PEOPLE, CERTIFICATES, SETTINGS})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "chung-nhan", parent)
        self.issue_action = self._action("Cấp giấy chứng nhận…", "Ctrl+N", self.issue)
        self._action("Xem và in lại", "Ctrl+P", self.reprint)
        self.files_action = self._action(
            "Lưu từng người…", "", self.save_files, "Lưu mỗi người một tệp PDF vào một thư mục"
        )
        self.revoke_action = self._action("Thu hồi…", "Del", self.revoke)
        self.reissue_action = self._action("Cấp lại…", "", self.reissue)
        self._action("Tra cứu…", "F3", self.verify, "Tra cứu bằng mã hoặc quét QR (F3)")
        self._action("Sổ cấp…", "", self.register)
        self.site_export = VerifySiteExport(self)
        self.publish_action = self._action(
            "Xuất trang tra cứu…", "", self.site_export.start,
            "Xuất trang tra cứu giấy chứng nhận (thư mục để chép lên cổng thông tin của Sở)",
        )  # fmt: skip
        self._action("Làm mới", "", self.reload, "Làm mới (F5: cả chương trình)")

        self.course_combo = CoursePicker("Tất cả các khóa")
        self.course_combo.course_changed.connect(lambda _id: self.load())
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm số hiệu, họ tên, mã khóa…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.load())
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Khóa học:"))
        filters.addWidget(self.course_combo, 2)
        filters.addWidget(QLabel("Năm:"))
        filters.addWidget(self.year_combo)
        filters.addWidget(self.search, 1)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # Qt's default is descending
        self.table.doubleClicked.connect(lambda _i: self.reprint())
        show_when_empty(self.table, self._empty_text)
        self.count = QLabel()

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.rows: list[certificates.IssuedRow] = []
        self.reload()

    # -- loading ---------------------------------------------------------------------

    def _empty_text(self) -> str:
        if (
            self.search.text().strip()
            or self.course_combo.currentIndex() > 0
            or (self.year_combo.currentData() is not None)
        ):
            return NO_MATCH
        return EMPTY

    def reload(self) -> None:
        keep_year = self.year_combo.currentData()
        with self.db.transaction(readonly=True) as s:
            rows = courses.catalogue(s)
            self.rights = certificate_rights.rights(s)
        self.issue_action.setVisible(self.rights.issue)
        for action in (self.revoke_action, self.reissue_action):
            action.setVisible(self.rights.revoke)
        self.publish_action.setVisible(not self.rights.own_courses_only)  # staff, admin
        everything = "Các khóa mình dạy" if self.rights.own_courses_only else "Tất cả các khóa"
        self.course_combo.blockSignals(True)
        self.course_combo.set_courses(rows, everything)
        self.course_combo.blockSignals(False)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem("Mọi năm", None)
        this_year = date.today().year
        for year in range(this_year, this_year - 10, -1):
            self.year_combo.addItem(str(year), year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(keep_year)))
        self.year_combo.blockSignals(False)
        self.load()

    def load(self) -> None:
        with self.db.transaction(readonly=True) as s:
            self.rows = certificates.listing(
                s,
                course_id=self.course_combo.currentData(),
                year=self.year_combo.currentData(),
                search=self.search.text(),
            )
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            note = "; ".join(
                x
                for x in (
                    f"thay số {row.replaces}" if row.replaces else "",
                    f"được thay bằng số {row.replaced_by}" if row.replaced_by else "",
                    f"lý do thu hồi: {row.revoked_reason}" if row.revoked_reason else "",
                )
                if x
            )
            values = (
                row.serial,
                row.full_name,
                row.course_code,
                format_date(row.issued_on),
                format_date(row.expires_on) if row.expires_on else "",
                certificates.STATUS_TEXT[row.status].capitalize(),
                note,
            )
            keys = {3: row.issued_on, 4: row.expires_on}
            for c, value in enumerate(values):
                item = SortItem.name(value) if c == 1 else SortItem(value, keys.get(c))
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if row.status in STATUS_COLOUR:
                    item.setForeground(QBrush(QColor(STATUS_COLOUR[row.status])))
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self.count.setText(f"{len(self.rows)} giấy chứng nhận")

    def select_course(self, course_id: int) -> None:
        """That course's certificates, in every year, unfiltered (Tổng quan opens it)."""
        for widget in (self.search, self.year_combo):
            widget.blockSignals(True)
        self.search.clear()
        self.year_combo.setCurrentIndex(0)
        for widget in (self.search, self.year_combo):
            widget.blockSignals(False)
        if not self.course_combo.select(course_id):
            self.course_combo.select(None)
        self.load()

    def selected(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]

    def _selected_serial(self) -> str | None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if len(rows) != 1:
            self.prompter.inform(self, "Chứng nhận", "Hãy chọn một giấy chứng nhận trong bảng.")
            return None
        return str(self.table.item(rows[0], 0).text())

    # -- issuing ---------------------------------------------------------------------

    def issue(self) -> None:
        course_id = self.course_combo.currentData()
        if course_id is None:
            self.prompter.inform(
                self, "Cấp giấy chứng nhận", "Hãy chọn một khóa học ở ô “Khóa học” trước."
            )
            return
        with self.db.transaction(readonly=True) as s:
            plan = key_plan(s)
            choices = IssueChoices(
                certificates.eligible(s, course_id),
                settings.missing_to_issue(s),
                not certificate_rights.rights(s).own_courses_only,
                plan.describe,
            )

        def preview(enrolment_id: int) -> CertificateData:
            return self.ctx.read(
                lambda s: certificate_preview.preview(s, enrolment_id=enrolment_id)
            )

        dialog = IssueDialog(choices, preview, self.course_combo.currentText(), self.settings, self)
        if dialog.exec() != IssueDialog.DialogCode.Accepted:
            return
        chosen, out_dir = dialog.chosen(), dialog.out_dir()
        after_revoked, signing = dialog.include_revoked(), dialog.signed()
        secret = ""
        if signing:  # asked once for the whole batch, kept only while it runs
            answer = ask_secret(self.prompter, self, plan)
            if answer is None:
                return
            secret = answer
        title = self.course_combo.currentText().split(" – ")[0]
        progress = QProgressDialog("Đang cấp giấy chứng nhận…", "Hủy", 0, len(chosen), self)
        progress.setWindowTitle("Cấp giấy chứng nhận")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        done_count = [0]

        def work(task: Task) -> tuple[list[certificates.IssuedRow], bytes, int]:
            def step(n: int, total: int) -> None:
                done_count[0] = n
                task.report(f"Đã cấp {n}/{total}")  # raises Cancelled: the serials roll back

            def file_step(n: int, total: int) -> None:
                task.report(f"Đã ghi {n}/{total} tệp")  # Cancelled: no file is left either

            def act(s, sink):  # type: ignore[no-untyped-def]
                issued = certificates.issue(s, course_id, chosen, progress=step,
                                            after_revoked=after_revoked)  # fmt: skip
                items = certificates.reprint(s, [r.id for r in issued])
                return (issued, items), items

            def sign_step(n: int, total: int) -> None:
                done_count[0] = n
                task.report(f"Đang ký số {labels.number(n)}/{labels.number(total)}")

            if signing:  # the key first: a wrong password or PIN issues nothing
                with open_signer(plan, secret) as signer:
                    (issued, items), placed = write_signed(
                        self.db, Targets(out_dir=out_dir), act, f"Giấy chứng nhận {title}",
                        signer.certificate, issued=lambda r: len(r[0]),
                        course_code=lambda _r: title, step=sign_step,
                        cancelled=task.cancel_event.is_set,
                    )  # fmt: skip
                return issued, _pdf(items, f"Giấy chứng nhận {title}"), len(placed)
            # Files: folder checked first, written beside their places before the commit,
            # moved into place after it; a cancel or failure leaves none.
            (issued, items), placed = write_after_commit(
                self.db, Targets(out_dir=out_dir), act, f"Giấy chứng nhận {title}", file_step
            )
            return issued, _pdf(items, f"Giấy chứng nhận {title}"), len(placed)

        def on_progress(text: str) -> None:
            progress.setLabelText(text + "…")
            progress.setValue(done_count[0])

        def done(result: tuple[list[certificates.IssuedRow], bytes, int]) -> None:
            progress.reset()
            issued, pdf, files = result
            self.load()
            self.ctx.bus.emit(ISSUED, self)
            where = f"; {files} tệp trong {out_dir}" if files else ""
            where += " (đã ký số)" if files and signing else ""
            self.status.emit(
                f"Đã cấp {len(issued)} giấy chứng nhận ({issued[0].serial} – {issued[-1].serial}){where}."
            )
            PdfPreviewDialog(pdf, f"Giấy chứng nhận {title}", f"giay-chung-nhan-{title}.pdf",
                             self.settings, self).exec()  # fmt: skip

        def failed(exc: BaseException, details: str) -> None:
            progress.reset()
            if isinstance(exc, Cancelled):
                self.status.emit("Đã hủy: không cấp giấy chứng nhận nào, số hiệu không bị dùng.")
            elif isinstance(exc, SigningStopped):  # issued; what was signed is recorded
                self.load()
                self.ctx.bus.emit(ISSUED, self)
                self.prompter.warn(self, "Đã cấp, dừng ký số", exc.message)
            elif isinstance(exc, NotIssuedToFiles):  # in the register, not all on disk
                self.load()
                self.ctx.bus.emit(ISSUED, self)
                issued, _items = exc.result
                serials = [r.serial for r in issued]
                self.prompter.warn(self, "Đã cấp, chưa ghi đủ tệp",
                                    issued_but_not_placed(serials, title, exc.message, self.db))  # fmt: skip
            elif isinstance(exc, FileProblem):
                self.prompter.warn(self, "Không cấp được", f"{exc.message} {NOTHING_ISSUED}")
            elif getattr(exc, "message", None):
                self.prompter.warn(self, "Không cấp được", exc.message)  # type: ignore[attr-defined]
            else:
                show_error("Lỗi", "Không cấp được giấy chứng nhận.", details)

        self.task = self.runner.start(work, done, failed, on_progress)
        progress.canceled.connect(self.task.cancel)

    # -- one certificate -------------------------------------------------------------

    def reprint(self) -> None:
        ids = self.selected()
        if not ids:
            self.prompter.inform(self, "Chứng nhận", "Hãy chọn giấy chứng nhận trong bảng.")
            return
        items = self.ctx.op(self, lambda s: certificates.reprint(s, ids), {AUDIT})
        if items:
            name = items[0][1] if len(items) == 1 else "giay-chung-nhan-in-lai.pdf"
            PdfPreviewDialog(_pdf(items, "Giấy chứng nhận (in lại)"), "In lại giấy chứng nhận",
                             name, self.settings, self).exec()  # fmt: skip

    def save_files(self) -> None:
        """The selected certificates, one PDF a person (0123-2026-GCN_Nguyen-Thi-Ha.pdf), in a folder."""
        ids = self.selected()
        if not ids:
            self.prompter.inform(self, "Chứng nhận", "Hãy chọn giấy chứng nhận trong bảng.")
            return
        folder = QFileDialog.getExistingDirectory(
            self, "Thư mục lưu giấy chứng nhận",
            str(self.settings.value("certificates/folder", str(Path.home()))),
            QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly,
        )  # fmt: skip
        if not folder:
            return
        self.settings.setValue("certificates/folder", folder)
        targets = Targets(out_dir=Path(folder))

        def work(_task: Task) -> int:
            _n, placed = write_after_commit(
                self.db, targets, lambda s, _sink: (None, certificates.reprint(s, ids)), None
            )
            return len(placed)

        def done(files: int) -> None:
            self.status.emit(f"Đã lưu {files} tệp giấy chứng nhận vào {folder}.")

        def failed(exc: BaseException, details: str) -> None:
            if getattr(exc, "message", None):
                self.prompter.warn(self, "Không lưu được", exc.message)  # type: ignore[attr-defined]
            else:
                show_error("Lỗi", "Không lưu được giấy chứng nhận.", details)

        self.task = self.runner.start(work, done, failed)

    def revoke(self) -> None:
        serial = self._selected_serial()
        if serial is None:
            return
        reason = self.prompter.text(
            self, "Thu hồi giấy chứng nhận", f"Lý do thu hồi giấy chứng nhận số {serial}:"
        )
        if reason is None:
            return
        row = self.ctx.op(self, lambda s: certificates.revoke(s, serial, reason), ISSUED)
        if row is not None:
            self.load()
            self.status.emit(f"Đã thu hồi giấy chứng nhận số {serial}.")

    def reissue(self) -> None:
        serial = self._selected_serial()
        if serial is None:
            return
        if not self.prompter.confirm(
            self,
            "Cấp lại giấy chứng nhận",
            f"Cấp một giấy mới (số hiệu mới, theo thông tin hiện tại của học viên) thay cho số "
            f"{serial}? Giấy cũ sẽ ghi “đã được cấp lại”.",
        ):
            return

        def act(s):  # type: ignore[no-untyped-def]
            row = certificates.reissue(s, serial)
            return row, certificates.reprint(s, [row.id])

        result = self.ctx.op(self, act, ISSUED)
        if result is not None:
            row, items = result
            self.load()
            self.status.emit(f"Đã cấp lại: số {row.serial} thay số {serial}.")
            PdfPreviewDialog(_pdf(items, row.serial), f"Giấy chứng nhận {row.serial}",
                             items[0][1], self.settings, self).exec()  # fmt: skip

    def verify(self) -> None:
        from app.services import pdf_verification  # pyHanko loaded when it is needed
        from app.signing import check

        VerifyDialog(
            lambda text: self.ctx.read(lambda s: verification.verify(s, text)),
            self,
            verify_pdf=lambda path: self.ctx.read(
                lambda s: pdf_verification.verify_pdf(s, check.read_pdf(path))
            ),
            runner=self.ctx.runner,
            settings=self.settings,
        ).exec()

    def register(self) -> None:
        year = self.year_combo.currentData() or date.today().year
        year = self.prompter.integer(self, "Sổ cấp giấy chứng nhận", "Năm:", year, 2000, 2100)
        if year is None:
            return
        path = ask_save_path(
            self, self.settings, "certificates", "Lưu sổ cấp giấy chứng nhận",
            f"so-cap-gcn-{year}.pdf", "PDF (*.pdf);;Bảng tính Excel (*.xlsx)", (".pdf", ".xlsx"),
        )  # fmt: skip
        if path is None:
            return
        plan = self.ctx.read(key_plan)
        sign = Path(path).suffix.lower() == ".pdf" and offer_signing(
            self.prompter, self, plan, f"sổ cấp năm {year}"
        )
        secret = ask_secret(self.prompter, self, plan) if sign else ""
        if secret is None:
            return

        def act(s):  # type: ignore[no-untyped-def]
            if not sign:
                return certificate_register.write_register(s, Path(path), year)
            with open_signer(plan, secret) as signer:  # a wrong password writes nothing
                return certificate_register.write_register(
                    s, Path(path), year, sign=signer.document
                )

        n = self.ctx.op(self, act, {AUDIT})
        if n is not None:
            signed = " (đã ký số)" if sign else ""
            self.status.emit(f"Đã lập sổ cấp năm {year}: {n} giấy chứng nhận, vào {path}{signed}.")
