"""CLI: `taphuan server setup --owner ROLE --app-user ROLE` for a shared PostgreSQL
server (see app.server_setup)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app import config
from app.cli.common import EXIT_OK
from app.errors import UserError
from app.server_setup import check_roles, setup

PASSWORD_ENV = {"owner": "TAPHUAN_OWNER_PASSWORD", "app": "TAPHUAN_APP_PASSWORD"}


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    server = sub.add_parser("server", help="máy chủ PostgreSQL dùng chung: thiết lập vai trò")
    server_sub = server.add_subparsers(dest="server_command", metavar="VIỆC", required=True)
    s = server_sub.add_parser(
        "setup",
        help="tạo vai trò chủ sở hữu cấu trúc và tài khoản chương trình (chỉ đọc và thêm "
        "vào nhật ký thao tác), nâng cấp lược đồ; --db là URL của người quản trị máy chủ",
    )
    s.add_argument("--owner", metavar="VAI_TRÒ", required=True,
                   help="vai trò sở hữu các bảng; các bản nâng cấp chạy bằng nó")  # fmt: skip
    s.add_argument("--app-user", metavar="VAI_TRÒ", required=True,
                   help="tài khoản các máy dùng để kết nối")  # fmt: skip


def _password_for(owner: str, app_user: str):  # type: ignore[no-untyped-def]
    def ask(role: str, exists: bool) -> str | None:
        env = PASSWORD_ENV["owner" if role == owner else "app"]
        if os.environ.get(env):
            return os.environ[env]
        if exists:
            return None  # kept as it is
        if not sys.stdin.isatty():
            raise UserError(
                f"Vai trò “{role}” chưa có: đặt mật khẩu cho nó trong biến môi trường {env} "
                "(hoặc chạy lệnh ở cửa sổ dòng lệnh để gõ)."
            )
        first = getpass.getpass(f"Mật khẩu cho vai trò mới {role}: ")
        if len(first) < 8 or first != getpass.getpass("Gõ lại mật khẩu: "):
            raise UserError("Mật khẩu cần ít nhất 8 ký tự và hai lần gõ phải giống nhau.")
        return first

    return ask


def cmd_server(args: argparse.Namespace) -> int:
    target = args.db or os.environ.get(config.DB_ENV)
    if not target:
        raise UserError(
            "Hãy cho URL PostgreSQL của người quản trị máy chủ bằng --db (hoặc biến "
            f"{config.DB_ENV}), ví dụ: --db postgresql://postgres@maychu:5432/taphuan; mật "
            "khẩu quản trị trong biến PGPASSWORD."
        )
    check_roles(args.owner, args.app_user)
    r = setup(target, args.owner, args.app_user, _password_for(args.owner, args.app_user),
              say=lambda line: print(line, file=sys.stderr, flush=True))  # fmt: skip
    print(f"Máy chủ: {r.server}")
    print(f"Chủ sở hữu cấu trúc: {args.owner} ({_state(r.owner_created)})")
    stripped = f"; đã bỏ quyền {', '.join(n.removeprefix('rol') for n in r.app_stripped)}"
    print(f"Tài khoản chương trình: {args.app_user} ({_state(r.app_created)}"
          f"{stripped if r.app_stripped else ''})")  # fmt: skip
    if r.objects_moved:
        print(f"Đã chuyển {r.objects_moved} bảng, chuỗi số, hàm sang {args.owner}.")
    print(f"Lược đồ: {r.revision} ({'đã nâng cấp' if r.upgraded else 'mới nhất'})")
    print(
        f"Quyền của {args.app_user}: đọc, thêm, sửa, xóa dữ liệu tập huấn; nhật ký thao tác chỉ "
        "đọc và thêm (máy chủ tự đánh số, đóng dấu giờ, ghi tên vai trò và mã băm cho mỗi mục); "
        "không đổi được cấu trúc, trigger hay quyền."
    )
    print(f"Các máy kết nối bằng: {r.app_url}")
    return EXIT_OK


def _state(created: bool) -> str:
    return "đã tạo" if created else "đã có"


COMMANDS = {"server": cmd_server}
