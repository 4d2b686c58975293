"""Xuất trang tra cứu… on the Chứng nhận page: the static verification site into a folder
the user chooses, in the worker with progress and a cancel button; then what was written
and what changed since the folder was published before."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from app import labels
from app.services import settings as app_settings
from app.services import verify_publish
from app.verify_site import publish, wording
from ui.crash import show_error
from ui.pages.base import Page
from ui.workers import Cancelled, Task

TITLE = "Xuất trang tra cứu"
SUBFOLDER = "tra-cuu"
LAST_FOLDER = "certificates/verify_site_folder"


class VerifySiteExport:
    """One page's export: the folder chooser, the task and its progress dialog."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None

    def _folder(self) -> Path | None:
        """The folder chosen; one holding other files is refused, with a subfolder
        "tra-cuu" in it offered instead."""
        page = self.page
        last = str(page.settings.value(LAST_FOLDER, str(Path.home())))
        chosen = QFileDialog.getExistingDirectory(
            page, "Chọn thư mục cho trang tra cứu (thư mục trống hoặc đã xuất trước đây)", last,
            QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly,
        )  # fmt: skip
        if not chosen:
            return None
        out = Path(chosen)
        try:
            publish.check_folder(out)
        except publish.FolderRefused as exc:
            inner = out / SUBFOLDER
            try:
                publish.check_folder(inner)
            except publish.FolderRefused:
                page.prompter.warn(page, TITLE, exc.message)
                return None
            if not out.is_dir() or not page.prompter.confirm(
                page, TITLE, f"{exc.message}\n\nXuất vào thư mục con {inner}?"
            ):
                return None
            out = inner
        page.settings.setValue(LAST_FOLDER, str(out.parent))
        return out

    def start(self) -> None:
        out = self._folder()
        if out is None:
            return
        page, db = self.page, self.page.db
        progress = QProgressDialog("Đang đọc sổ cấp giấy chứng nhận…", "Hủy", 0, 0, page)
        progress.setWindowTitle(TITLE)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self.progress = progress
        counts = [0, 0]

        def work(task: Task) -> tuple[publish.Published, str]:
            task.report("Đang đọc sổ cấp giấy chứng nhận")  # Cancelled here: nothing written
            # One moment's data and the disclosure in the audit, committed before the
            # folder is written.
            with db.transaction() as s:
                records = verify_publish.records_to_publish(s, str(out))
                verify_url = app_settings.get(s, "verify_url")

            def step(n: int, total: int) -> None:
                counts[:] = [n, total]
                task.report(f"Đã ghi {labels.number(n)}/{labels.number(total)} giấy")

            moment = verify_publish.vietnam_now()
            return publish.publish(out, records, moment, step), verify_url

        def on_progress(text: str) -> None:
            progress.setLabelText(text + "…")
            if counts[1]:
                progress.setMaximum(counts[1])
                progress.setValue(counts[0])

        def done(result: tuple[publish.Published, str]) -> None:
            progress.reset()
            published, verify_url = result
            page.status.emit(wording.summary(published))
            page.prompter.inform(page, TITLE, wording.report(published, verify_url))

        def failed(exc: BaseException, details: str) -> None:
            progress.reset()
            if isinstance(exc, Cancelled):
                page.status.emit("Đã hủy: thư mục trang tra cứu giữ nguyên như trước.")
            elif getattr(exc, "message", None):
                page.prompter.warn(page, TITLE, exc.message)  # type: ignore[attr-defined]
            else:
                show_error("Lỗi", "Không xuất được trang tra cứu.", details)

        self.task = page.runner.start(work, done, failed, on_progress)
        progress.canceled.connect(self.task.cancel)
