"""Tổ CNSCĐ: the teams as a tree with their members; the administrative units."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import labels
from app.services import exports, people, teams, units
from app.services.people import PeopleFilter
from app.vn.dates import format_date
from ui.changes import AUDIT, PEOPLE, TEAMS
from ui.context import UiContext
from ui.dialogs.member_dialog import MemberDialog
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.files import EXCEL_OR_CSV, ask_save_path
from ui.pages.base import Page
from ui.widgets.columns import fit_titles
from ui.widgets.empty_state import show_when_empty
from ui.widgets.sort_item import SortItem

ID = Qt.ItemDataRole.UserRole


class TeamsPage(Page):
    shows = frozenset({TEAMS, PEOPLE})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "to-cnscd", parent)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._teams_tab(), "Tổ công nghệ số cộng đồng")
        self.tabs.addTab(self._units_tab(), "Đơn vị hành chính")
        QVBoxLayout(self).addWidget(self.tabs)
        self.reload()

    # -- teams ---------------------------------------------------------------------

    def _teams_tab(self) -> QWidget:
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Tổ", "Đơn vị", "Thành viên", "Đã tập huấn"])
        self.tree.setColumnWidth(1, 90)
        fit_titles(self.tree.header(), stretch=0, least=140)
        self.tree.setSortingEnabled(False)
        self.tree.currentItemChanged.connect(lambda *_: self.show_members())
        self.members = QTableWidget(0, 6)
        self.members.setHorizontalHeaderLabels(
            ["Họ và tên", "Vai trò", "Thành phần", "Ngày vào tổ", "Ngày rời tổ", "Đã tập huấn"]
        )
        for col, width in enumerate((200, 90, 150, 95, 95, 90)):
            self.members.setColumnWidth(col, width)
        fit_titles(self.members.horizontalHeader(), stretch=0, least=150)
        show_when_empty(
            self.tree, "Chưa có tổ nào. Bấm Thêm tổ… bên dưới để lập tổ của một xã, phường."
        )
        show_when_empty(
            self.members,
            lambda: (
                "Tổ này chưa có thành viên. Bấm Thêm thành viên… để chọn người vào tổ."
                if self.current_team() is not None
                else "Chọn một tổ ở bên trái để xem thành viên."
            ),
        )
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.members.setSortingEnabled(True)
        self.members.verticalHeader().hide()
        self.members.doubleClicked.connect(lambda _i: self.edit_member())
        self.team_title = QLabel("")
        self.team_title.setWordWrap(True)
        font = self.team_title.font()
        font.setBold(True)
        self.team_title.setFont(font)
        self.left_check = QCheckBox("Cả người đã rời tổ")
        self.left_check.toggled.connect(lambda _c: self.show_members())
        buttons = QHBoxLayout()
        for text, slot in (
            ("Thêm thành viên…", self.add_members),
            ("Sửa…", self.edit_member),
            ("Xóa khỏi tổ", self.remove_member),
            ("Xuất danh sách…", self.export_team),
            ("Ma trận chủ đề…", self.team_matrix),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        title_row = QHBoxLayout()  # the check beside the title: the buttons' row stays narrow
        title_row.addWidget(self.team_title, 1)
        title_row.addWidget(self.left_check, 0, Qt.AlignmentFlag.AlignTop)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addLayout(title_row)
        rl.addLayout(buttons)
        rl.addWidget(self.members, 1)
        new_team = QPushButton("Thêm tổ…")
        new_team.clicked.connect(self.add_team)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.tree, 1)
        self.dissolved_check = QCheckBox("Cả tổ đã giải thể")  # e.g. district teams, 2025
        self.dissolved_check.setObjectName("dissolved_check")
        self.dissolved_check.toggled.connect(lambda _c: self.reload())
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(new_team)
        left_buttons.addStretch(1)
        left_buttons.addWidget(self.dissolved_check)
        ll.addLayout(left_buttons)
        self.team_splitter = splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 650])
        return splitter

    def reload(self) -> None:
        with self.db.transaction(readonly=True) as s:
            nodes = teams.tree(s, include_dissolved=self.dissolved_check.isChecked())
        current = self.current_team()
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for n in nodes:
            short = n.name.removeprefix("Tổ công nghệ số cộng đồng ") or n.name
            item = QTreeWidgetItem(
                [
                    short[:1].upper() + short[1:],
                    n.unit,
                    str(n.members),
                    str(n.trained),
                ]
            )
            item.setData(0, ID, n.id)
            item.setToolTip(0, n.name)
            for col in (2, 3):
                item.setTextAlignment(
                    col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            items[n.id] = item
        for n in nodes:
            parent = items.get(n.parent_id) if n.parent_id else None
            (parent.addChild if parent else self.tree.addTopLevelItem)(items[n.id])
        if current in items:
            self.tree.setCurrentItem(items[current])
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._fit_tree()

    def _fit_tree(self) -> None:
        """Unit and counts as wide as their contents; the tree's pane wide enough to show
        them beside a readable team name, up to half the page."""
        for col in (1, 2, 3):
            self.tree.resizeColumnToContents(col)
        header = self.tree.header()
        needed = 140 + sum(header.sectionSize(c) for c in (1, 2, 3))
        needed += self.tree.frameWidth() * 2 + self.tree.verticalScrollBar().sizeHint().width() + 30
        left, right = self.team_splitter.sizes()
        total = left + right
        if total > 0 and left < needed:
            left = min(needed, total // 2)
            self.team_splitter.setSizes([left, total - left])

    def showEvent(self, event: QShowEvent) -> None:
        """Fitted again once laid out: before its first showing the splitter has no width,
        so a tree loaded earlier kept a pane too narrow for its columns."""
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_tree)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A wider window gives the tree's pane the width its columns need."""
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_tree)

    def current_team(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, ID) if item else None

    def show_members(self) -> None:
        team_id = self.current_team()
        self.members.setSortingEnabled(False)
        self.members.setRowCount(0)
        if team_id is None:
            self.team_title.setText("")
            return
        with self.db.transaction(readonly=True) as s:
            rows = teams.members(s, team_id, include_left=self.left_check.isChecked())
        self.team_title.setText(self.tree.currentItem().toolTip(0) + f" – {len(rows)} người")
        self.members.setRowCount(len(rows))
        for r, m in enumerate(rows):
            values = (
                m.full_name,
                labels.TEAM_ROLE[m.role],
                labels.MEMBER_KIND[m.kind],
                format_date(m.joined_on),
                format_date(m.left_on),
                "Có" if m.trained else "Chưa",
            )
            keys = {3: m.joined_on, 4: m.left_on}
            for c, value in enumerate(values):
                item = SortItem.name(value) if c == 0 else SortItem(value, keys.get(c))
                item.setData(
                    ID, (m.membership_id, m.version, m.role, m.kind, m.joined_on, m.left_on)
                )
                self.members.setItem(r, c, item)
        self.members.setSortingEnabled(True)

    def _search_people(self, text: str) -> list[people.PersonRow]:
        with self.db.transaction(readonly=True) as s:
            return people.page(s, PeopleFilter(search=text), limit=100)

    def add_members(self) -> None:
        team_id = self.current_team()
        if team_id is None:
            return
        chosen = PersonPickerDialog.ask(self, self._search_people, "Thêm thành viên vào tổ")
        if not chosen:
            return
        save = self.ctx.saver(
            self, {TEAMS},
            lambda form, s: [teams.add_member(s, team_id, pid, form) for pid, _ in chosen],
        )  # fmt: skip
        MemberDialog.ask(self, ", ".join(name for _, name in chosen), saver=save)
        if save.result:
            self.reload()

    def _selected_member(self):  # type: ignore[no-untyped-def]
        items = self.members.selectedItems()
        return (
            (items[0].data(ID), self.members.item(items[0].row(), 0).text())
            if items
            else (None, "")
        )

    def edit_member(self) -> None:
        data, name = self._selected_member()
        if data is None:
            return
        membership_id, version, role, kind, joined, left = data
        save = self.ctx.saver(
            self, {TEAMS},
            lambda form, s: teams.update_member(s, membership_id, form, version) or True,
        )  # fmt: skip
        MemberDialog.ask(self, name, teams.MembershipForm(role, kind, joined, left), saver=save)
        if save.result:
            self.reload()

    def remove_member(self) -> None:
        data, name = self._selected_member()
        if data is None:
            return
        if self.prompter.confirm(
            self,
            "Xóa khỏi tổ",
            f"Xóa “{name}” khỏi tổ như một dòng nhập nhầm?\n\nNếu người này đã rời tổ, hãy bấm “Không” rồi "
            "dùng “Sửa…” để ghi ngày rời tổ: lịch sử tổ được giữ.",
            default_no=True,
        ):
            self.ctx.op(self, lambda s: teams.remove_member(s, data[0]), {TEAMS})
            self.reload()

    def add_team(self) -> None:
        unit_id = self.current_unit()
        if unit_id is None:
            self.prompter.inform(
                self,
                "Thêm tổ",
                "Hãy chọn đơn vị hành chính của tổ ở thẻ “Đơn vị hành chính” trước.",
            )
            self.tabs.setCurrentIndex(1)
            return
        name = self.prompter.text(self, "Thêm tổ", "Tên tổ (để trống: đặt theo tên đơn vị):")
        if name is not None and self.ctx.op(
            self,
            lambda s: teams.create_team(s, name, unit_id, parent_id=self.current_team()),
            {TEAMS},
        ):
            self.reload()

    def export_team(self) -> None:
        team_id = self.current_team()
        if team_id is None:
            return
        path = ask_save_path(
            self, self.settings, "teams", "Xuất danh sách tổ", "thanh-vien-to.xlsx",
            EXCEL_OR_CSV, (".xlsx", ".csv"),
        )  # fmt: skip
        if path is None:
            return
        n = self.ctx.op(self, lambda s: exports.export_team(s, team_id, path), {AUDIT})
        if n is not None:
            self.status.emit(f"Đã xuất {n} thành viên vào {path}")

    def _show_matrix(self, title: str, **where: int) -> None:
        from app.services import outcomes
        from ui.dialogs.topic_matrix_dialog import TopicMatrixDialog

        matrix = self.ctx.op(self, lambda s: outcomes.topic_matrix(s, **where), ())
        if matrix is not None:

            def export(dialog: QWidget, path: Path) -> int | None:  # the export is recorded
                return self.ctx.op(
                    dialog, lambda s: outcomes.export_matrix(s, matrix, path, title[:31]), {AUDIT}
                )

            TopicMatrixDialog(matrix, title, self.settings, export, self).exec()

    def team_matrix(self) -> None:
        team_id = self.current_team()
        if team_id is not None:
            self._show_matrix(self.tree.currentItem().toolTip(0), team_id=team_id)

    def unit_matrix(self) -> None:
        unit_id = self.current_unit()
        if unit_id is None:
            self.prompter.inform(
                self, "Ma trận chủ đề", "Hãy chọn một xã, phường (hoặc đơn vị cũ) trước."
            )
            return
        self._show_matrix(self.units_tree.currentItem().text(0), unit_id=unit_id)

    # -- units ---------------------------------------------------------------------

    def _units_tab(self) -> QWidget:
        self.scheme_combo = QComboBox()
        self.scheme_combo.addItem("Hiện hành (từ 01/07/2025)", "2025")
        self.scheme_combo.addItem("Trước 01/07/2025", "pre2025")
        self.scheme_combo.currentIndexChanged.connect(lambda _i: self.load_units())
        self.units_tree = QTreeWidget()
        self.units_tree.setHeaderLabels(["Đơn vị", "Mã", "Cấp", "Kế thừa bởi"])
        fit_titles(self.units_tree.header(), stretch=0, least=260)
        self.units_tree.itemExpanded.connect(self._expand_unit)
        hamlet = QPushButton("Thêm ấp/khu phố…")
        hamlet.clicked.connect(self.add_hamlet)
        matrix = QPushButton("Ma trận chủ đề của đơn vị…")
        matrix.clicked.connect(self.unit_matrix)
        old = QPushButton("Thêm đơn vị cũ (trước 2025)…")
        old.clicked.connect(self.add_historical)
        row = QHBoxLayout()
        row.addWidget(self.scheme_combo)
        row.addWidget(hamlet)
        row.addWidget(old)
        row.addWidget(matrix)
        row.addStretch(1)
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addLayout(row)
        layout.addWidget(self.units_tree, 1)
        self.load_units()
        return w

    def _unit_item(self, node: units.UnitNode) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [node.name, node.code or "", labels.UNIT_LEVEL[node.level], ", ".join(node.successors)]
        )
        item.setData(0, ID, node.id)
        if node.children:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def load_units(self) -> None:
        self.units_tree.clear()
        with self.db.transaction(readonly=True) as s:
            nodes = units.children_of(s, None, self.scheme_combo.currentData())
        for node in nodes:
            self.units_tree.addTopLevelItem(self._unit_item(node))

    def _expand_unit(self, item: QTreeWidgetItem) -> None:
        if item.childCount():
            return
        with self.db.transaction(readonly=True) as s:
            nodes = units.children_of(s, item.data(0, ID))
        for node in nodes:
            item.addChild(self._unit_item(node))

    def current_unit(self) -> int | None:
        item = self.units_tree.currentItem()
        return item.data(0, ID) if item else None

    def add_hamlet(self) -> None:
        unit_id = self.current_unit()
        if unit_id is None:
            self.prompter.inform(self, "Thêm ấp/khu phố", "Hãy chọn xã/phường trước.")
            return
        name = self.prompter.text(self, "Thêm ấp/khu phố", "Tên (ví dụ: Ấp Thạnh Hòa, Khu phố 3):")
        if (
            name is not None
            and name.strip()
            and self.ctx.op(self, lambda s: units.add_hamlet(s, unit_id, name), {TEAMS})
        ):
            item = self.units_tree.currentItem()
            item.takeChildren()
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self._expand_unit(item)
            item.setExpanded(True)

    def add_historical(self) -> None:
        level = self.prompter.item(
            self, "Đơn vị cũ", "Cấp:", ["Xã/phường/thị trấn", "Huyện/thị xã/thành phố"]
        )
        if level is None:
            return
        name = self.prompter.text(self, "Đơn vị cũ", "Tên đầy đủ (ví dụ: Xã Tân Phong):")
        if name is None or not name.strip():
            return
        successor = self.prompter.text(
            self, "Đơn vị kế thừa", "Tên xã/phường hiện hành đã tiếp nhận (để trống nếu không có):"
        )
        if successor is None:
            return
        parent = self.current_unit()

        def act(s):  # type: ignore[no-untyped-def]
            succ_ids = (
                [uid for uid, label in units.search(s, successor, 5, scheme="2025")][:1]
                if successor.strip()
                else []
            )
            kind = name.strip().split(" ")[0]
            lv = "district" if level.startswith("Huyện") else "commune"
            return units.add_historical(s, lv, name, kind, parent, succ_ids)

        if self.ctx.op(self, act, {TEAMS}):
            self.scheme_combo.setCurrentIndex(1)
            self.load_units()
