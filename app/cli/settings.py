"""Commands on the settings: the issuing body, the signer, the serial pattern, images."""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, open_database
from app.services import settings


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    st = sub.add_parser("settings", help="thiết lập cơ quan cấp, người ký, mẫu số hiệu, chỉ tiêu…")
    st_sub = st.add_subparsers(dest="settings_command", metavar="VIỆC", required=True)
    st_sub.add_parser("show", help="xem các thiết lập")
    st_set = st_sub.add_parser("set", help="đặt một thiết lập (ảnh: đường dẫn tệp PNG/JPEG)")
    st_set.add_argument("key", metavar="KHÓA", choices=list(settings.KEYS))
    st_set.add_argument("value", metavar="GIÁ_TRỊ")


def cmd_settings(args: argparse.Namespace) -> int:
    reads = args.settings_command == "show"
    db = open_database(args, write=not reads)
    if reads:
        with db.transaction(readonly=True) as s:
            shown = settings.display(s)
            width = max(len(key) for key, _label, _value in shown)
            for key, label, value in shown:
                print(f"{key:<{width}} {label:<45} {value}")
    else:
        with db.transaction() as s:
            settings.set_value(s, args.key, args.value)
        print(f"Đã đặt {args.key}.")
    db.close(optimize=not reads)
    return EXIT_OK


COMMANDS = {"settings": cmd_settings}
