"""Điểm danh's "Đọc bảng ký tên đã quét…": the files asked for, read in the worker thread
with a progress dialog that can be cancelled, the review shown, and what the user decided
written in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from app import scan
from app.errors import UserError
from app.services import people, scan_walk_ins, sheet_scan
from app.services.people import PeopleFilter
from ui.changes import ATTENDANCE, COURSES, PEOPLE
from ui.context import UiContext
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.dialogs.scan_review_dialog import ScanDecision, ScanReviewDialog
from ui.workers import Cancelled, Task

TITLE = "Đọc bảng ký tên đã quét"
FILTERS = (
    "Bảng ký tên đã quét (*.pdf *.jpg *.jpeg *.png);;Tệp PDF (*.pdf);;Ảnh (*.jpg *.jpeg *.png)"
)
FOLDER_KEY = "scans/last_folder"


def ask_scan_files(parent: QWidget, settings: QSettings) -> list[Path]:
    """The scans chosen (several at once), in Qt's own dialog: the native one would not be
    in Vietnamese. The folder is remembered."""
    last = str(settings.value(FOLDER_KEY, str(Path.home())))
    chosen, _ = QFileDialog.getOpenFileNames(
        parent, TITLE, last, FILTERS, options=QFileDialog.Option.DontUseNativeDialog
    )
    paths = [Path(p) for p in chosen]
    if paths:
        settings.setValue(FOLDER_KEY, str(paths[0].parent))
    return paths


def pages_in(path: Path) -> int:
    """How many pages a file will give (for the progress): a PDF's pages, else one."""
    if path.suffix.lower() != ".pdf":
        return 1
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # broken or locked: read_files says why, as one page
        return 1
    try:
        return max(1, len(doc))
    finally:
        doc.close()


def read_scans(
    ctx: UiContext, paths: list[Path], total: int, task: Task, done: list[int]
) -> sheet_scan.ScanPlan:
    """Every page read (each sheet's register fetched once, in a short read), then the plan
    beside the marks as they are now; task.report() stops here when Hủy was pressed.
    done[0] is the pages read so far."""
    geometry_of = sheet_scan.Geometries(ctx.read)
    readings = []
    task.report(f"Đang đọc trang 1/{total}")
    for reading in scan.read_files(paths, geometry_of):
        readings.append(reading)
        done[0] = len(readings)
        total = max(total, len(readings))
        if len(readings) < total:
            task.report(f"Đang đọc trang {len(readings) + 1}/{total}")
    task.report("Đang so với điểm danh đã ghi")
    return ctx.read(lambda s: sheet_scan.plan(s, readings))


def review_scans(
    ctx: UiContext,
    parent: QWidget,
    paths: list[Path],
    after: Callable[[str, bool], None],
) -> QProgressDialog:
    """Read the files in the worker, then review and write; after(message, wrote) is told
    how it ended (for the status bar; the page reloads when something was written)."""
    total = sum(pages_in(p) for p in paths)
    progress = QProgressDialog(f"Đang đọc trang 1/{total}…", "Hủy", 0, total, parent)
    progress.setWindowTitle(TITLE)
    progress.setMinimumWidth(380)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    done = [0]

    def on_progress(text: str) -> None:
        progress.setLabelText(text + "…")
        progress.setValue(min(done[0], total))

    def finished(found: sheet_scan.ScanPlan) -> None:
        progress.reset()
        progress.close()
        review(ctx, parent, found, after)

    def failed(exc: BaseException, details: str) -> None:
        progress.reset()
        progress.close()
        if isinstance(exc, Cancelled):
            after("Đã hủy đọc bảng ký tên: chưa ghi gì.", False)
        elif isinstance(exc, UserError):
            ctx.prompter.warn(parent, TITLE, exc.message)
        else:
            ctx.prompter.warn(parent, TITLE, f"Không đọc được các tệp đã chọn: {exc}")

    task = ctx.runner.start(
        lambda t: read_scans(ctx, paths, total, t, done), finished, failed, on_progress
    )
    progress.canceled.connect(task.cancel)
    return progress


def review(
    ctx: UiContext, parent: QWidget, plan: sheet_scan.ScanPlan, after: Callable[[str, bool], None]
) -> None:
    """The review dialog; Ghi writes what was decided in one transaction."""
    if not any(p.problem is None for p in plan.pages):
        reasons = "\n".join(f"• {p.source}: {p.problem}" for p in plan.pages[:12])
        more = f"\n… và {len(plan.pages) - 12} trang khác" if len(plan.pages) > 12 else ""
        ctx.prompter.warn(
            parent, TITLE, f"Không đọc được trang bảng ký tên nào. Chưa ghi gì.\n\n{reasons}{more}"
        )
        return

    def write(form: ScanDecision, s) -> tuple[sheet_scan.Applied, scan_walk_ins.WalkInsAdded]:  # type: ignore[no-untyped-def]
        # Walk-ins first: someone on the list who wrote their name on a blank row is
        # present, and their own empty row then is left, not written absent.
        added = scan_walk_ins.add(s, form.walk_ins)
        return sheet_scan.apply(s, plan.proposals, form.decided, form.overwrite), added

    touches = {ATTENDANCE} | ({COURSES, PEOPLE} if plan.walk_ins else set())
    saver = ctx.saver(parent, touches, write)
    decision: ScanDecision | None = ScanReviewDialog.ask(
        parent,
        plan,
        plan.walk_ins,
        lambda owner: find_person(ctx, owner),
        lambda owner: new_person(ctx, owner),
        settings=ctx.settings,
        saver=saver,
    )
    if decision is None or saver.result is None:
        after("Đã đóng bảng xem lại: chưa ghi gì.", False)
        return
    applied, walk_ins = saver.result
    message = f"Đã ghi {applied.written} điểm danh; để lại {applied.left + walk_ins.left} ô"
    if walk_ins.added:
        message += f"; thêm {walk_ins.added} người đến lớp"
    after(message + ".", True)


def find_person(ctx: UiContext, owner: QWidget) -> tuple[int, str] | None:
    """Someone on file for a handwritten name."""

    def search(text: str) -> list[people.PersonRow]:
        return ctx.read(lambda s: people.page(s, PeopleFilter(search=text), limit=200))

    chosen = PersonPickerDialog.ask(owner, search, "Ghép tên viết tay với người đã có")
    return chosen[0] if chosen else None


def new_person(ctx: UiContext, owner: QWidget) -> tuple[str, str | None] | None:
    """A new person for a handwritten name: as the page's "Người đến lớp…" asks."""
    name = ctx.prompter.text(owner, "Người đến lớp", "Họ và tên (như viết trên bảng ký tên):")
    if name is None or not name.strip():
        return None
    phone = ctx.prompter.text(owner, "Người đến lớp", "Số điện thoại (có thể để trống):")
    if phone is None:
        return None
    return name.strip(), phone.strip() or None
