"""The shared office's server: remembered without its password, the password in the
system's credential store (an in-memory store here), tried before it is saved."""

from __future__ import annotations

import json
import os

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app import config, server
from ui.dialogs.server_dialog import ServerDialog

PG_URL = os.environ.get("TAPHUAN_TEST_PG_URL")


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def vault() -> MemoryKeyring:
    before = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(before)


def test_bad_input_and_an_unreachable_server(
    vi_app: QApplication, qtbot: QtBot, vault: MemoryKeyring
) -> None:
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("")
    assert not dialog.test()
    assert dialog.message.text().startswith("Hãy nhập địa chỉ máy chủ")
    dialog.host.setText("127.0.0.1")
    dialog.port.setText("năm")
    assert not dialog.test() and "phải là một số" in dialog.message.text()
    dialog.port.setText("1")  # nothing listens there
    dialog.user.setText("taphuan")
    dialog.save()
    assert "Không kết nối được tới 127.0.0.1:1" in dialog.message.text()
    assert not server.config_path().exists() and vault.store == {}  # nothing saved


@pytest.mark.skipif(not PG_URL, reason="TAPHUAN_TEST_PG_URL is not set: no PostgreSQL server")
def test_a_reachable_server_is_saved_without_its_password(
    vi_app: QApplication, qtbot: QtBot, vault: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(PG_URL)
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText(url.host)
    dialog.port.setText(str(url.port))
    dialog.database.setText(url.database)
    dialog.user.setText(url.username)
    dialog.password.setText("mat-khau-may-chu")  # the test server trusts 127.0.0.1
    dialog.save()
    assert dialog.result() == ServerDialog.DialogCode.Accepted, dialog.message.text()
    saved = json.loads(server.config_path().read_text(encoding="utf-8"))
    assert saved == {
        "host": url.host,
        "port": url.port,
        "database": url.database,
        "user": url.username,
    }
    assert "mat-khau-may-chu" not in server.config_path().read_text(encoding="utf-8")
    key = f"{url.username}@{url.host}:{url.port}/{url.database}"
    assert vault.store == {("TapHuan", key): "mat-khau-may-chu"}
    # Started without --db, TapHuan opens the server, the password from the store.
    opened = make_url(config.resolve_db(None))
    assert (opened.host, opened.database, opened.password) == (
        url.host,
        url.database,
        "mat-khau-may-chu",
    )
    # A URL typed without a password gets the stored one too.
    typed = f"postgresql+psycopg://{url.username}@{url.host}:{url.port}/{url.database}"
    assert make_url(config.resolve_db(typed)).password == "mat-khau-may-chu"
    dialog2 = ServerDialog()
    qtbot.addWidget(dialog2)
    assert dialog2.password.text() == "mat-khau-may-chu"
    dialog2.use_local()
    assert not server.config_path().exists()
    assert config.resolve_db(None) == str(config.default_db_path())


def test_no_stored_password_is_asked_for_at_start(
    vi_app: QApplication, vault: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from ui import startup

    target = "postgresql+psycopg://canbo@maychu.so.local:5432/taphuan"
    asked: list[str] = []

    def refuse(_server, password):  # type: ignore[no-untyped-def]
        raise server.PasswordRefused("Máy chủ từ chối: sai tên đăng nhập hoặc mật khẩu.")

    monkeypatch.setattr(server, "try_connect", refuse)
    monkeypatch.setattr(
        QInputDialog, "getText", lambda _p, _t, label, *a: asked.append(label) or ("bi-mat", True)
    )
    with_password = startup.ask_server_password(target)
    assert make_url(with_password).password == "bi-mat"
    assert asked == [
        "Mật khẩu của “canbo” trên máy chủ maychu.so.local:5432 (cơ sở dữ liệu taphuan):"
    ]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("", False))
    assert startup.ask_server_password(target) is None  # cancelled: TapHuan does not start
    # A file, or a URL with its password, is left alone.
    assert startup.ask_server_password("/tmp/taphuan.db") == "/tmp/taphuan.db"
    monkeypatch.setattr(server, "try_connect", lambda *_a: "Kết nối được")
    assert startup.ask_server_password(target) == target  # a server that trusts this PC
