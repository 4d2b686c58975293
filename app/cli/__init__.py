"""The command line (`taphuan`, `python -m app`).

main.py builds the parser and runs a command; common.py holds what every command shares
(exit codes, opening the database and signing in, output); parser.py is argparse in
Vietnamese; values.py and files.py check arguments. Then one module a command group:
database, people, data (import, export), courses, attendance, settings, certificates,
reports, server, users.
"""

from app.cli.main import COMMANDS, build_parser, main

__all__ = ["COMMANDS", "build_parser", "main"]
