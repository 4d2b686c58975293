"""The shared office's PostgreSQL server: where it is (a small JSON file in the data
folder, without the password) and its password (the system's credential store through
`keyring`: Windows Credential Manager, macOS Keychain, Secret Service). Never a password
in a file of ours."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from app import paths
from app.errors import InvalidValue, UserError

SERVICE = "TapHuan"


class PasswordRefused(UserError):
    """The server wants a (different) password."""


FILE_NAME = "may-chu.json"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    database: str
    user: str

    @property
    def key(self) -> str:
        """The credential store's entry name for this server and user."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None) -> str:
        return URL.create(
            "postgresql+psycopg", self.user, password or None, self.host, self.port,
            self.database,
        ).render_as_string(hide_password=False)  # fmt: skip


def check(host: str, port: str, database: str, user: str) -> Server:
    host, database, user = host.strip(), database.strip(), user.strip()
    if not host:
        raise InvalidValue("Hãy nhập địa chỉ máy chủ (ví dụ: 192.168.1.10 hoặc maychu.so.local).")
    try:
        number = int(port.strip() or "5432")
    except ValueError:
        raise InvalidValue(f"Cổng “{port}” phải là một số (thường là 5432).") from None
    if not 1 <= number <= 65535:
        raise InvalidValue(f"Cổng {number} không hợp lệ (1–65535).")
    if not database or not user:
        raise InvalidValue("Hãy nhập tên cơ sở dữ liệu và tên đăng nhập máy chủ.")
    return Server(host, number, database, user)


def config_path() -> Path:
    return paths.data_dir() / FILE_NAME


def load() -> Server | None:
    path = config_path()
    if not path.is_file():
        return None
    try:
        return Server(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None


def save(server: Server | None) -> None:
    """Remember the server (None: back to the file on this PC); no password is written."""
    path = config_path()
    if server is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(server), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def store_password(server: Server, password: str) -> bool:
    """Into the credential store; False when this system has none (asked each time then)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, server.key, password)
    except (KeyringError, RuntimeError):
        return False
    return True


def stored_password(server: Server) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, server.key)
    except (KeyringError, RuntimeError):
        return None


def with_password(target: str) -> str:
    """A PostgreSQL URL given without a password gets the stored one, if any."""
    if not target.startswith("postgresql"):
        return target
    url = make_url(target)
    if url.password or not url.host:
        return target
    server = Server(url.host, url.port or 5432, url.database or "", url.username or "")
    password = stored_password(server)
    return url.set(password=password).render_as_string(hide_password=False) if password else target


def try_connect(server: Server, password: str) -> str:
    """Connect and read the schema version; returns a Vietnamese description, or raises
    a UserError saying what went wrong."""
    import psycopg

    try:
        with psycopg.connect(
            host=server.host, port=server.port, dbname=server.database, user=server.user,
            password=password, connect_timeout=5,
        ) as con:  # fmt: skip
            version = con.execute("SHOW server_version").fetchone()
            try:
                revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
            except psycopg.Error:
                revision = None
    except psycopg.OperationalError as exc:
        text = str(exc).lower()
        if "password" in text or "authentication" in text:
            raise PasswordRefused("Máy chủ từ chối: sai tên đăng nhập hoặc mật khẩu.") from exc
        if "does not exist" in text:
            raise UserError(f"Máy chủ không có cơ sở dữ liệu “{server.database}”.") from exc
        raise UserError(
            f"Không kết nối được tới {server.host}:{server.port} (máy chủ tắt, sai địa chỉ "
            "hoặc tường lửa chặn)."
        ) from exc
    state = (
        f"đã có dữ liệu TapHuan (phiên bản lược đồ {revision[0]})"
        if revision
        else "chưa có dữ liệu TapHuan (sẽ được tạo khi mở)"
    )
    return f"Kết nối được: PostgreSQL {version[0] if version else ''}, {state}."


def missing_password(target: str) -> Server | None:
    """The server of a PostgreSQL target given without a password (none stored either):
    the window asks for it. None for anything else."""
    if not target.startswith("postgresql"):
        return None
    url = make_url(target)
    if url.password or not url.host:
        return None
    return Server(url.host, url.port or 5432, url.database or "", url.username or "")


def with_typed_password(target: str, password: str) -> str:
    return make_url(target).set(password=password).render_as_string(hide_password=False)
