"""The command line (`taphuan`, `python -m app`).

main.py builds the parser and runs a command; common.py holds what every command shares
(exit codes, opening the database and signing in, output); parser.py is argparse in
Vietnamese; values.py and files.py check arguments. Then one module a command group:
database, people, data (import, export), courses, attendance, settings, certificates,
reports, server, users.
"""

from typing import Any

from app.cli.main import build_parser, main


def __getattr__(name: str) -> Any:  # COMMANDS loads every command group: on first use
    if name == "COMMANDS":
        from app.cli.main import commands

        return commands()
    raise AttributeError(name)


__all__ = ["COMMANDS", "build_parser", "main"]
